package io.cxflow.activation.workflow;

import io.cxflow.activation.decision.DecisionPlanner;
import io.cxflow.activation.kafka.TopicFollower;
import io.cxflow.avro.WorkflowDefinition;
import java.time.Duration;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current workflows, kept in memory by reading {@code cx.workflows.v1} from the beginning and
 * following it for as long as the service runs. Every instance reads every partition, so each holds
 * the complete catalog. A tombstone removes a workflow.
 */
public final class WorkflowView implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkflowView.class);

    private final TopicFollower<WorkflowDefinition> follower;
    private volatile WorkflowCatalog catalog = WorkflowCatalog.empty();

    /** @param consumer a consumer without a group id; the view owns and closes it */
    public WorkflowView(Consumer<String, WorkflowDefinition> consumer, String topic, Duration pollTimeout) {
        this.follower = new TopicFollower<>(consumer, topic, null, pollTimeout, this::apply, "cx-activation-workflows");
    }

    /** Starts reading from the beginning; see {@link TopicFollower#start()}. */
    public void start() {
        follower.start();
    }

    /** As {@link #start()}, and runs {@code onCaughtUp} once the view has caught up. */
    public void start(Runnable onCaughtUp) {
        follower.start(onCaughtUp);
    }

    /** The current workflows. */
    public WorkflowCatalog catalog() {
        return catalog;
    }

    /** Whether the view has read everything the topic held when the view started. */
    public boolean isCaughtUp() {
        return follower.isCaughtUp();
    }

    public boolean isRunning() {
        return follower.isRunning();
    }

    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return follower.awaitCaughtUp(timeout);
    }

    /** Waits until the write at {@code offset} of {@code partition} is visible in {@link #catalog()}. */
    public boolean awaitApplied(int partition, long offset, Duration timeout) throws InterruptedException {
        return follower.awaitApplied(partition, offset, timeout);
    }

    private void apply(ConsumerRecord<String, WorkflowDefinition> record) {
        String id = record.key();
        WorkflowDefinition workflow = record.value();
        if (id == null) {
            log.warn(
                    "ignoring workflow record without key at {}-{} offset {}",
                    record.topic(),
                    record.partition(),
                    record.offset());
            return;
        }
        if (workflow == null) {
            catalog = catalog.without(id);
            return;
        }
        if (!id.equals(workflow.getId())) {
            log.warn(
                    "ignoring workflow record at {}-{} offset {}: key {} does not match id {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    id,
                    workflow.getId());
            return;
        }
        if (!DecisionPlanner.runnable(workflow)) {
            log.warn(
                    "workflow {} v{} has steps this version cannot run; it will not be triggered",
                    id,
                    workflow.getVersion());
        }
        catalog = catalog.with(workflow);
    }

    @Override
    public void close() {
        follower.close();
    }
}
