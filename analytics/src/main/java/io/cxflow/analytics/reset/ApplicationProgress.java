package io.cxflow.analytics.reset;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;

/**
 * How far a Kafka Streams application has got through its input, seen from outside: the committed offsets of its
 * group ({@code application.id}) against the end offsets of its input topic and of the internal topics it consumes
 * itself (repartition and foreign-key join topics). It needs nothing from the application but its id and its input
 * topic, so it works on a running instance of any topology, in this process or another.
 *
 * <p>Offsets committed by an {@code exactly_once_v2} application are those of committed transactions, so "the
 * group committed offset N" means everything before N was processed and its results are visible to {@code
 * read_committed} readers.
 *
 * <pre>{@code
 * ApplicationProgress progress = new ApplicationProgress(admin, "cx-analytics", "cx.events.v1");
 * ApplicationProgress.Target target = progress.captureTarget(); // the input's end offsets now
 * progress.awaitDrained(target, Duration.ofMinutes(30), Duration.ofSeconds(1), p -> print(p));
 * }</pre>
 */
public final class ApplicationProgress {

    private final AdminCalls calls;
    private final String applicationId;
    private final String inputTopic;

    /**
     * @param admin the admin client (not closed here)
     * @param applicationId the Streams {@code application.id}
     * @param inputTopic the application's input topic, e.g. {@code cx.events.v1} with its prefix
     */
    public ApplicationProgress(Admin admin, String applicationId, String inputTopic) {
        this(admin, applicationId, inputTopic, ApplicationReset.DEFAULT_TIMEOUT);
    }

    /** As above; {@code timeout} bounds each admin round trip. */
    public ApplicationProgress(Admin admin, String applicationId, String inputTopic, Duration timeout) {
        ApplicationReset.requireApplicationId(applicationId);
        this.calls = new AdminCalls(Objects.requireNonNull(admin, "admin"), Objects.requireNonNull(timeout, "timeout"));
        this.applicationId = applicationId;
        this.inputTopic = Objects.requireNonNull(inputTopic, "inputTopic");
    }

    /**
     * Where the input starts and ends at one moment: the work a run has to do to be caught up with that moment.
     *
     * @param start the earliest offset of each input partition
     * @param end the last stable offset of each input partition
     */
    public record Target(Map<TopicPartition, Long> start, Map<TopicPartition, Long> end) {

        public Target {
            start = Map.copyOf(start);
            end = Map.copyOf(end);
        }

        /** The number of input records between start and end (a compacted or transactional input counts offsets). */
        public long total() {
            long sum = 0;
            for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                sum += Math.max(0, e.getValue() - start.getOrDefault(e.getKey(), 0L));
            }
            return sum;
        }

        /** The input records of this target covered by the committed offsets. */
        public long processed(Map<TopicPartition, Long> committed) {
            long sum = 0;
            for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                long from = start.getOrDefault(e.getKey(), 0L);
                long at = committed.getOrDefault(e.getKey(), from);
                sum += Math.max(0, Math.min(at, e.getValue()) - from);
            }
            return sum;
        }

        /** Whether the committed offsets reach the end of every partition. */
        public boolean reachedBy(Map<TopicPartition, Long> committed) {
            for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                long from = start.getOrDefault(e.getKey(), 0L);
                if (e.getValue() > from && committed.getOrDefault(e.getKey(), from) < e.getValue()) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * One look at the application.
     *
     * @param processed input records of the target covered by committed offsets
     * @param total input records of the target
     * @param inputDone whether the committed offsets reached the target on every input partition
     * @param internalBacklog records of the internal topics the application consumes that are not committed yet (0
     *     when it has none; -1 while the input is not done, when it is not looked at)
     * @param drained whether the input is done and every consumed internal topic is drained, with no record written
     *     to them during the look: no work derived from the target is in flight
     */
    public record Progress(long processed, long total, boolean inputDone, long internalBacklog, boolean drained) {}

    /** The input topic's partitions with their earliest and last stable offsets now. */
    public Target captureTarget() {
        List<TopicPartition> partitions = calls.partitions(List.of(inputTopic));
        if (partitions.isEmpty()) {
            throw new KafkaException("input topic " + inputTopic + " does not exist");
        }
        return new Target(calls.startOffsets(partitions), calls.endOffsets(partitions));
    }

    /** The committed offsets of the application's group (empty when the group does not exist). */
    public Map<TopicPartition, Long> committed() {
        return calls.committedOffsets(applicationId);
    }

    /** The internal topics the application consumes itself (repartition, foreign-key join), sorted. */
    public List<String> consumedInternalTopics() {
        TreeSet<String> topics = new TreeSet<>();
        for (String topic : calls.topicNames()) {
            if (ApplicationReset.isConsumedInternalTopic(applicationId, topic)) {
                topics.add(topic);
            }
        }
        return List.copyOf(topics);
    }

    /** The changelog topics of the application's stores, sorted. */
    public List<String> changelogTopics() {
        TreeSet<String> topics = new TreeSet<>();
        for (String topic : calls.topicNames()) {
            if (ApplicationReset.isInternalTopic(applicationId, topic)
                    && !ApplicationReset.isConsumedInternalTopic(applicationId, topic)) {
                topics.add(topic);
            }
        }
        return List.copyOf(topics);
    }

    /**
     * Looks once: the input progress against {@code target} and, when the input is done, the internal topics.
     *
     * <p>Drained is decided in this order: the input offsets are committed up to the target (so every transaction
     * that consumed it has committed its writes), then the internal end offsets are read, then the committed offsets
     * again, then the end offsets again. When every committed offset reaches the first ends and the ends did not move,
     * every internal record was consumed and the transactions that consumed them wrote nothing new: nothing derived
     * from the target is still in flight.
     */
    public Progress look(Target target) {
        Map<TopicPartition, Long> committed = committed();
        long processed = target.processed(committed);
        if (!target.reachedBy(committed)) {
            return new Progress(processed, target.total(), false, -1, false);
        }
        List<TopicPartition> internal = calls.partitions(consumedInternalTopics());
        if (internal.isEmpty()) {
            return new Progress(processed, target.total(), true, 0, true);
        }
        Map<TopicPartition, Long> ends = calls.endOffsets(internal);
        long backlog = backlog(ends, committed());
        boolean drained = backlog == 0 && ends.equals(calls.endOffsets(internal));
        return new Progress(processed, target.total(), true, backlog, drained);
    }

    private static long backlog(Map<TopicPartition, Long> ends, Map<TopicPartition, Long> committed) {
        long sum = 0;
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            // a partition that never held a record has end 0 and may have no commit
            long at = committed.getOrDefault(e.getKey(), 0L);
            sum += Math.max(0, e.getValue() - at);
        }
        return sum;
    }

    /**
     * Looks every {@code interval}, telling {@code listener} each look, until one finds the application drained
     * (see {@link #look}).
     *
     * @return the last look
     * @throws KafkaException when {@code timeout} passes first (naming the progress so far)
     */
    public Progress awaitDrained(Target target, Duration timeout, Duration interval, Consumer<Progress> listener) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Progress look = look(target);
            listener.accept(look);
            if (look.drained()) {
                return look;
            }
            if (System.nanoTime() > deadline) {
                throw new KafkaException("application " + applicationId + " did not drain within " + timeout
                        + ": processed " + look.processed() + " of " + look.total() + " input records"
                        + (look.inputDone() ? ", internal backlog " + look.internalBacklog() : ""));
            }
            sleep(interval);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
    }
}
