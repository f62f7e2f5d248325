package io.cxflow.activation.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxflow.activation.template.MessageTemplates;
import io.cxflow.avro.WorkflowDefinition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes workflows. Writes go to {@code cx.workflows.v1} (compacted, keyed by id; a delete
 * is a tombstone) with an {@code acks=all} producer; a write returns only once the brokers
 * acknowledged it <em>and</em> the {@link WorkflowView} has applied it, so a read after a write on
 * this instance always sees the write. Reads answer from the view, and only once it has caught up.
 *
 * <p>Writes on one instance are serialised, so versions increase by one per change. Two instances
 * writing the same workflow at the same moment may both write the same next version; the later record
 * on the topic wins.
 */
public final class WorkflowStore {

    private static final Logger log = LoggerFactory.getLogger(WorkflowStore.class);

    private final Producer<String, WorkflowDefinition> producer;
    private final String topic;
    private final WorkflowView view;
    private final Duration writeTimeout;
    private final Clock clock;
    private final WorkflowRules rules;

    /**
     * @param channels the channels configured on this deployment; steps naming another are refused
     * @param templates compiles the templates of send steps on save
     */
    public WorkflowStore(
            Producer<String, WorkflowDefinition> producer,
            String topic,
            WorkflowView view,
            Duration writeTimeout,
            Clock clock,
            Set<String> channels,
            MessageTemplates templates) {
        this(producer, topic, view, writeTimeout, clock, new WorkflowRules(channels, templates, true));
    }

    /** @param rules what this deployment accepts on save: channels, templates, triggers */
    public WorkflowStore(
            Producer<String, WorkflowDefinition> producer,
            String topic,
            WorkflowView view,
            Duration writeTimeout,
            Clock clock,
            WorkflowRules rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.producer = Objects.requireNonNull(producer, "producer");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.view = Objects.requireNonNull(view, "view");
        this.writeTimeout = Objects.requireNonNull(writeTimeout, "writeTimeout");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Optional<WorkflowDefinition> get(String id) {
        requireReady();
        return Optional.ofNullable(view.catalog().get(id));
    }

    /** Every workflow, ordered by id. */
    public List<WorkflowDefinition> all() {
        requireReady();
        return view.catalog().all();
    }

    /**
     * Validates and stores a workflow, replacing any earlier definition with the same id.
     *
     * @return the stored definition (with its new version)
     * @throws WorkflowValidationException when the body is not a valid workflow
     */
    public synchronized WorkflowDefinition put(String id, JsonNode body) {
        WorkflowDefinition workflow = validate(id, body);
        write(id, workflow);
        log.info("stored workflow {} v{}", id, workflow.getVersion());
        return workflow;
    }

    /**
     * Validates a workflow exactly as {@link #put} does and answers the definition it would store (with
     * the next version), storing nothing.
     *
     * @throws WorkflowValidationException when the body is not a valid workflow
     */
    public WorkflowDefinition validate(String id, JsonNode body) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        WorkflowDefinition workflow = WorkflowJson.parse(id, body, 1, now, rules);
        requireReady();
        WorkflowDefinition current = view.catalog().get(id);
        workflow.setVersion(current == null ? 1 : current.getVersion() + 1);
        return workflow;
    }

    /**
     * Deletes a workflow (writes a tombstone).
     *
     * @return whether it existed
     */
    public synchronized boolean delete(String id) {
        requireReady();
        if (view.catalog().get(id) == null) {
            return false;
        }
        write(id, null);
        log.info("deleted workflow {}", id);
        return true;
    }

    private void write(String id, WorkflowDefinition workflow) {
        RecordMetadata metadata;
        try {
            metadata = producer.send(new ProducerRecord<>(topic, id, workflow))
                    .get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkflowStoreException(WorkflowStoreException.Kind.WRITE_FAILED, "interrupted while writing", e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new WorkflowStoreException(
                    WorkflowStoreException.Kind.WRITE_FAILED,
                    "the workflow could not be stored on " + topic + ": "
                            + cause.getClass().getSimpleName(),
                    cause);
        }
        boolean visible;
        try {
            visible = view.awaitApplied(metadata.partition(), metadata.offset(), writeTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            visible = false;
        }
        if (!visible) {
            throw new WorkflowStoreException(
                    WorkflowStoreException.Kind.NOT_YET_VISIBLE,
                    "the change is stored (" + topic + "-" + metadata.partition() + " offset " + metadata.offset()
                            + ") but not yet visible; read it again shortly",
                    null);
        }
    }

    private void requireReady() {
        if (!view.isCaughtUp()) {
            throw new WorkflowStoreException(
                    WorkflowStoreException.Kind.NOT_READY, "the workflow view is still loading; retry shortly", null);
        }
    }
}
