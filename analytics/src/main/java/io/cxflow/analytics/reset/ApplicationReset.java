package io.cxflow.analytics.reset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resets a Kafka Streams application for a full reprocessing: its next start reads its input topics from the
 * beginning with empty state, as if it had never run.
 *
 * <ol>
 *   <li>refuses ({@link ApplicationRunningException}) while the application's group still has members: the
 *       application must be stopped on every instance first;
 *   <li>deletes the group ({@code application.id}), and with it the committed offsets;
 *   <li>deletes the application's internal topics ({@code <applicationId>-…-changelog}, {@code -repartition}, and
 *       the foreign-key join topics {@code -subscription-registration-topic} / {@code -subscription-response-topic})
 *       and waits until the cluster no longer lists them, so that the next start creates them afresh;
 *   <li>deletes this machine's state folder {@code <stateDir>/<applicationId>}.
 * </ol>
 *
 * Input and output topics are never touched: the reprocessed results are appended to the output topics (a
 * compacted topic such as {@code cx.profiles.v1} keeps the newest value per key). Another application whose id
 * starts with {@code <applicationId>-} keeps its topics: a topic under the longer id of an existing group belongs
 * to that group. State folders of other machines are not reachable from here; delete them there (a Streams
 * instance that finds a state folder newer than its deleted changelogs wipes and restores it by itself).
 *
 * <pre>{@code
 * try (Admin admin = Admin.create(platform.kafka().admin("reset"))) {
 *     ApplicationReset.Summary summary = new ApplicationReset(admin).reset("cx-analytics", stateDir);
 * }
 * }</pre>
 */
public final class ApplicationReset {

    private static final Logger LOG = LoggerFactory.getLogger(ApplicationReset.class);

    /** How long each admin round trip, and the wait for deleted topics to disappear, may take by default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private static final Pattern APPLICATION_ID = Pattern.compile("[A-Za-z0-9._-]+");
    private static final List<String> CONSUMED_SUFFIXES =
            List.of("-repartition", "-subscription-registration-topic", "-subscription-response-topic");
    private static final String CHANGELOG_SUFFIX = "-changelog";
    private static final Duration DELETION_POLL = Duration.ofMillis(100);

    /**
     * What a reset did.
     *
     * @param applicationId the application
     * @param groupDeleted whether a group (with its committed offsets) existed and was deleted
     * @param deletedTopics the internal topics deleted, sorted
     * @param keptTopics topics that look internal but belong to another application with a longer id, sorted
     * @param stateDir the state folder of the application on this machine
     * @param stateDirRemoved whether that folder existed and was deleted
     */
    public record Summary(
            String applicationId,
            boolean groupDeleted,
            List<String> deletedTopics,
            List<String> keptTopics,
            Path stateDir,
            boolean stateDirRemoved) {

        public Summary {
            deletedTopics = List.copyOf(deletedTopics);
            keptTopics = List.copyOf(keptTopics);
        }

        /** A few lines for a terminal or a log. */
        public String render() {
            StringBuilder sb = new StringBuilder();
            sb.append("reset ").append(applicationId).append(':').append(System.lineSeparator());
            sb.append("  consumer group   ")
                    .append(groupDeleted ? "deleted (committed offsets gone)" : "none")
                    .append(System.lineSeparator());
            sb.append("  internal topics  ")
                    .append(deletedTopics.isEmpty() ? "none" : deletedTopics.size() + " deleted")
                    .append(System.lineSeparator());
            for (String topic : deletedTopics) {
                sb.append("    ").append(topic).append(System.lineSeparator());
            }
            for (String topic : keptTopics) {
                sb.append("    kept (another application's): ").append(topic).append(System.lineSeparator());
            }
            sb.append("  state folder     ").append(stateDir).append(stateDirRemoved ? " deleted" : " (absent)");
            return sb.toString();
        }
    }

    /** The application still runs somewhere: its group has members. */
    public static final class ApplicationRunningException extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        private final List<String> members;

        ApplicationRunningException(String applicationId, List<String> members) {
            super("application " + applicationId + " still has " + members.size() + " active member(s) in its group "
                    + applicationId + " (" + String.join(", ", members) + "): stop the analytics service first."
                    + " An instance that was killed stays a member until its session times out"
                    + " (session.timeout.ms, 45 s by default).");
            this.members = List.copyOf(members);
        }

        /** The members, as {@code clientId@host}. */
        public List<String> members() {
            return members;
        }
    }

    private final AdminCalls calls;

    /** A reset using {@code admin} with {@link #DEFAULT_TIMEOUT}. */
    public ApplicationReset(Admin admin) {
        this(admin, DEFAULT_TIMEOUT);
    }

    /** A reset using {@code admin}; {@code timeout} bounds each round trip and the wait for topic deletion. */
    public ApplicationReset(Admin admin, Duration timeout) {
        this.calls = new AdminCalls(Objects.requireNonNull(admin, "admin"), Objects.requireNonNull(timeout, "timeout"));
    }

    /**
     * Resets the application.
     *
     * @param applicationId the Streams {@code application.id} (also its group id and its topics' prefix)
     * @param stateDir the Streams {@code state.dir} (the application's folder is {@code stateDir/applicationId})
     * @throws ApplicationRunningException while the group has members; nothing was changed
     * @throws IllegalArgumentException when the id is not a valid application id
     * @throws KafkaException when the cluster does not answer or refuses (e.g. not authorized)
     */
    public Summary reset(String applicationId, Path stateDir) {
        requireApplicationId(applicationId);
        Objects.requireNonNull(stateDir, "stateDir");

        Collection<GroupListing> groups = calls.groups();
        GroupListing group = groups.stream()
                .filter(g -> g.groupId().equals(applicationId))
                .findFirst()
                .orElse(null);
        if (group != null) {
            GroupType type = group.type().orElse(GroupType.CLASSIC);
            List<String> members = members(applicationId, type);
            if (!members.isEmpty()) {
                throw new ApplicationRunningException(applicationId, members);
            }
        }
        boolean groupDeleted =
                group != null && deleteGroup(applicationId, group.type().orElse(GroupType.CLASSIC));

        Set<String> otherGroups = new TreeSet<>();
        groups.forEach(g -> otherGroups.add(g.groupId()));
        otherGroups.remove(applicationId);
        List<String> kept = new ArrayList<>();
        List<String> internal = new ArrayList<>();
        for (String topic : new TreeSet<>(calls.topicNames())) {
            if (!isInternalTopic(applicationId, topic)) {
                continue;
            }
            if (belongsToLongerApplicationId(applicationId, topic, otherGroups)) {
                kept.add(topic);
            } else {
                internal.add(topic);
            }
        }
        deleteTopics(internal);

        Path folder = stateDir.resolve(applicationId);
        boolean removed = deleteRecursively(folder);
        Summary summary = new Summary(applicationId, groupDeleted, internal, kept, folder.toAbsolutePath(), removed);
        LOG.info(
                "reset {}: group {}, {} internal topic(s) deleted {}, state folder {} {}",
                applicationId,
                groupDeleted ? "deleted" : "absent",
                internal.size(),
                internal,
                folder.toAbsolutePath(),
                removed ? "deleted" : "absent");
        return summary;
    }

    /**
     * Whether a topic is one of the internal topics Kafka Streams creates for {@code applicationId}: {@code
     * <applicationId>-<name>-changelog}, {@code -repartition}, {@code -subscription-registration-topic} or {@code
     * -subscription-response-topic}.
     */
    public static boolean isInternalTopic(String applicationId, String topic) {
        return topic.startsWith(applicationId + "-")
                && (topic.endsWith(CHANGELOG_SUFFIX) || isConsumedInternalSuffix(topic))
                && topic.length() > applicationId.length() + 1 + CHANGELOG_SUFFIX.length();
    }

    /**
     * Whether a topic is an internal topic that the application itself consumes (a repartition or foreign-key join
     * topic), as opposed to a changelog it only writes.
     */
    public static boolean isConsumedInternalTopic(String applicationId, String topic) {
        return isInternalTopic(applicationId, topic) && isConsumedInternalSuffix(topic);
    }

    private static boolean isConsumedInternalSuffix(String topic) {
        return CONSUMED_SUFFIXES.stream().anyMatch(topic::endsWith);
    }

    /**
     * Whether {@code topic} is better explained by another group whose id extends {@code applicationId} (for
     * {@code cx-analytics}, the topic {@code cx-analytics-v2-profiles-changelog} of group {@code cx-analytics-v2}).
     */
    static boolean belongsToLongerApplicationId(String applicationId, String topic, Collection<String> otherGroupIds) {
        for (String other : otherGroupIds) {
            if (other.length() > applicationId.length()
                    && other.startsWith(applicationId + "-")
                    && isInternalTopic(other, topic)) {
                return true;
            }
        }
        return false;
    }

    /** Fails unless {@code id} can name a Streams application and a folder under the state dir. */
    static void requireApplicationId(String id) {
        if (id == null || !APPLICATION_ID.matcher(id).matches() || id.equals(".") || id.equals("..")) {
            throw new IllegalArgumentException(
                    "application id must be made of letters, digits, '.', '_' and '-' (and not '.' or '..'): " + id);
        }
    }

    private List<String> members(String groupId, GroupType type) {
        try {
            if (type == GroupType.STREAMS) {
                return calls
                        .await(
                                calls.admin()
                                        .describeStreamsGroups(List.of(groupId))
                                        .describedGroups()
                                        .get(groupId),
                                "describe group " + groupId)
                        .members()
                        .stream()
                        .map(m -> m.clientId() + "@" + m.clientHost())
                        .sorted()
                        .toList();
            }
            return calls
                    .await(
                            calls.admin()
                                    .describeConsumerGroups(List.of(groupId))
                                    .describedGroups()
                                    .get(groupId),
                            "describe group " + groupId)
                    .members()
                    .stream()
                    .map(m -> m.clientId() + "@" + m.host())
                    .sorted()
                    .toList();
        } catch (KafkaException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return List.of();
            }
            throw e;
        }
    }

    private boolean deleteGroup(String groupId, GroupType type) {
        try {
            calls.await(
                    type == GroupType.STREAMS
                            ? calls.admin()
                                    .deleteStreamsGroups(List.of(groupId))
                                    .all()
                            : calls.admin()
                                    .deleteConsumerGroups(List.of(groupId))
                                    .all(),
                    "delete group " + groupId);
            return true;
        } catch (KafkaException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return false;
            }
            if (e.getCause() instanceof GroupNotEmptyException) {
                // a member joined between the check and the delete
                throw new ApplicationRunningException(groupId, members(groupId, type));
            }
            throw e;
        }
    }

    private void deleteTopics(List<String> topics) {
        if (topics.isEmpty()) {
            return;
        }
        try {
            calls.await(calls.admin().deleteTopics(topics).all(), "delete topics " + topics);
        } catch (KafkaException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                throw e;
            }
            // deleted concurrently: the wait below confirms
        }
        long deadline = System.nanoTime() + calls.timeout().toNanos();
        while (true) {
            Set<String> remaining = new TreeSet<>(topics);
            remaining.retainAll(calls.topicNames());
            if (remaining.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new KafkaException(
                        "topics " + remaining + " were deleted but still exist after " + calls.timeout());
            }
            try {
                Thread.sleep(DELETION_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException(e);
            }
        }
    }

    private static boolean deleteRecursively(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the state folder " + dir.toAbsolutePath(), e);
        }
        return true;
    }
}
