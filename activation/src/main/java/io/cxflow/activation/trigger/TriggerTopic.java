package io.cxflow.activation.trigger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The internal topic of resolved event occurrences: keyed by customer id, with exactly as many
 * partitions as {@code cx.segment-membership.v1}, so that the dispatcher (which subscribes to both with
 * a co-partitioning assignor) owns a customer's triggers of both kinds together with the customer's
 * ledger partition. Records are read within moments; they are kept {@link #RETENTION} for a dispatcher
 * that is down.
 */
public final class TriggerTopic {

    private static final Logger log = LoggerFactory.getLogger(TriggerTopic.class);

    /** How long occurrences are kept on the topic. */
    public static final Duration RETENTION = Duration.ofDays(7);

    private TriggerTopic() {}

    /**
     * Creates {@code topic} with {@code partitions} partitions, or checks that the existing one has
     * them.
     *
     * @throws IllegalStateException when it cannot be created or checked, or has another partition count
     */
    public static void ensure(Admin admin, String topic, int partitions, Duration timeout) {
        try {
            try {
                admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())
                                .configs(Map.of(
                                        TopicConfig.CLEANUP_POLICY_CONFIG,
                                        TopicConfig.CLEANUP_POLICY_DELETE,
                                        TopicConfig.RETENTION_MS_CONFIG,
                                        Long.toString(RETENTION.toMillis())))))
                        .all()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                log.info("created event-trigger topic {} with {} partition(s)", topic, partitions);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create the event-trigger topic " + topic, e.getCause());
                }
            }
            TopicDescription description = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .get(topic);
            if (description.partitions().size() != partitions) {
                throw new IllegalStateException("event-trigger topic " + topic + " has "
                        + description.partitions().size() + " partitions but the membership topic has " + partitions
                        + "; they must match (a customer's triggers and ledger share a partition number)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the event-trigger topic " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot check the event-trigger topic " + topic, e);
        }
    }
}
