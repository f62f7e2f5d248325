package io.cxflow.platform.kafka;

import io.cxflow.schemas.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates catalog topics and reports how existing ones differ from the catalog.
 *
 * <p>{@link #apply} is idempotent: a missing topic is created with the spec's partitions, replication
 * factor and {@link TopicSpec#topicConfig()}; an existing topic is left alone and compared, and every
 * difference (partition count, replication factor, each config in the spec) is reported as a {@link
 * Drift} rather than silently ignored or silently "fixed": partitions cannot shrink, and changing
 * retention or compaction of a live topic is an operator's decision. A topic created concurrently by
 * another process (a {@link TopicExistsException}) counts as existing and is compared.
 */
public final class TopicAdmin {

    private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);

    /** Replication factor of the single-node local default. */
    public static final short DEFAULT_REPLICATION_FACTOR = 1;
    /** How long each admin round trip may take. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** The setting name used in a {@link Drift} for the partition count. */
    public static final String PARTITIONS = "partitions";
    /** The setting name used in a {@link Drift} for the replication factor. */
    public static final String REPLICATION_FACTOR = "replication.factor";

    private static final Duration VISIBILITY_POLL = Duration.ofMillis(50);

    /**
     * One way an existing topic differs from its spec.
     *
     * @param topic the full topic name
     * @param setting {@value #PARTITIONS}, {@value #REPLICATION_FACTOR}, or a topic config such as {@code
     *     cleanup.policy} or {@code retention.ms}
     * @param expected what the catalog declares
     * @param actual what the cluster has
     */
    public record Drift(String topic, String setting, String expected, String actual) {}

    /**
     * What {@link #apply} did.
     *
     * @param created topics it created
     * @param unchanged topics that already existed exactly as declared
     * @param drift differences of existing topics (a topic with drift is in neither other list)
     */
    public record ApplyReport(List<String> created, List<String> unchanged, List<Drift> drift) {

        public ApplyReport {
            created = List.copyOf(created);
            unchanged = List.copyOf(unchanged);
            drift = List.copyOf(drift);
        }

        public boolean hasDrift() {
            return !drift.isEmpty();
        }

        /** Topics that differ from the catalog, in report order. */
        public List<String> driftedTopics() {
            return drift.stream().map(Drift::topic).distinct().toList();
        }

        /** A table for the command line: one line per topic, one more per additional drift. */
        public String render() {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"TOPIC", "STATUS", "DETAIL"});
            created.forEach(t -> rows.add(new String[] {t, "created", ""}));
            unchanged.forEach(t -> rows.add(new String[] {t, "unchanged", ""}));
            String last = null;
            for (Drift d : drift) {
                boolean first = !d.topic().equals(last);
                rows.add(new String[] {
                    first ? d.topic() : "",
                    first ? "DRIFT" : "",
                    d.setting() + ": expected " + d.expected() + ", actual " + d.actual()
                });
                last = d.topic();
            }
            int w0 = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
            int w1 = rows.stream().mapToInt(r -> r[1].length()).max().orElse(0);
            StringBuilder out = new StringBuilder();
            for (String[] r : rows) {
                String line = pad(r[0], w0) + "  " + pad(r[1], w1) + "  " + r[2];
                out.append(line.stripTrailing()).append('\n');
            }
            out.append(created.size())
                    .append(" created, ")
                    .append(unchanged.size())
                    .append(" unchanged, ")
                    .append(driftedTopics().size())
                    .append(" with drift");
            return out.toString();
        }

        private static String pad(String s, int w) {
            return s.length() >= w ? s : s + " ".repeat(w - s.length());
        }
    }

    private TopicAdmin() {}

    /**
     * Creates every missing topic with replication factor {@value #DEFAULT_REPLICATION_FACTOR} and
     * compares the existing ones; see {@link #apply(Admin, Collection, String, short, Duration)}.
     */
    public static ApplyReport apply(Admin admin, Collection<? extends TopicSpec<?, ?>> specs, String prefix) {
        return apply(admin, specs, prefix, DEFAULT_REPLICATION_FACTOR, DEFAULT_TIMEOUT);
    }

    /**
     * Creates every missing topic and compares the existing ones to their specs.
     *
     * @param prefix prepended to each {@link TopicSpec#baseName()} ({@code ""} in production)
     * @param replicationFactor replication factor of created topics, and the one existing topics are
     *     compared to
     * @param timeout bound on each admin round trip
     * @throws KafkaException when the cluster cannot be reached or refuses a request (the message names
     *     the topics)
     */
    public static ApplyReport apply(
            Admin admin,
            Collection<? extends TopicSpec<?, ?>> specs,
            String prefix,
            short replicationFactor,
            Duration timeout) {
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(timeout, "timeout");
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replicationFactor must be >= 1: " + replicationFactor);
        }
        Map<String, TopicSpec<?, ?>> byName = new LinkedHashMap<>();
        for (TopicSpec<?, ?> spec : specs) {
            TopicSpec<?, ?> previous = byName.put(prefix + spec.baseName(), spec);
            if (previous != null && !previous.equals(spec)) {
                throw new IllegalArgumentException("two different specs for topic " + prefix + spec.baseName());
            }
        }
        if (byName.isEmpty()) {
            return new ApplyReport(List.of(), List.of(), List.of());
        }

        Set<String> existing = await(
                admin.listTopics(new ListTopicsOptions().listInternal(false)).names(), timeout, "list topics");
        List<String> missing = byName.keySet().stream()
                .filter(name -> !existing.contains(name))
                .toList();

        List<String> created = new ArrayList<>();
        Set<String> toCompare = new LinkedHashSet<>();
        byName.keySet().stream().filter(existing::contains).forEach(toCompare::add);
        if (!missing.isEmpty()) {
            List<NewTopic> newTopics = missing.stream()
                    .map(name -> newTopic(name, byName.get(name), replicationFactor))
                    .toList();
            CreateTopicsResult result = admin.createTopics(newTopics);
            for (Map.Entry<String, KafkaFuture<Void>> e : result.values().entrySet()) {
                if (createdNow(e.getValue(), e.getKey(), timeout)) {
                    created.add(e.getKey());
                } else {
                    toCompare.add(e.getKey());
                }
            }
            created = sortByCatalog(created, byName);
            if (!created.isEmpty()) {
                describeWhenVisible(admin, created, timeout);
                log.info("created topics {}", created);
            }
        }

        List<String> unchanged = new ArrayList<>();
        List<Drift> drift = new ArrayList<>();
        if (!toCompare.isEmpty()) {
            Map<String, List<Drift>> found = compare(admin, toCompare, byName, replicationFactor, timeout);
            for (String name : toCompare) {
                List<Drift> d = found.getOrDefault(name, List.of());
                if (d.isEmpty()) {
                    unchanged.add(name);
                } else {
                    drift.addAll(d);
                }
            }
        }
        if (!drift.isEmpty()) {
            log.warn(
                    "topics differ from the catalog: {}",
                    drift.stream()
                            .map(d -> d.topic() + " " + d.setting() + " expected " + d.expected() + " actual "
                                    + d.actual())
                            .collect(Collectors.joining("; ")));
        }
        return new ApplyReport(created, sortByCatalog(unchanged, byName), drift);
    }

    /**
     * Creates one topic if it does not exist yet (e.g. a per-segment topic at runtime), with replication
     * factor {@value #DEFAULT_REPLICATION_FACTOR}. A concurrent creation by another process is not an
     * error. Existing topics are not compared; use {@link #apply} for that.
     *
     * @return true when this call created the topic
     */
    public static boolean ensureTopic(Admin admin, TopicSpec<?, ?> spec, String prefix) {
        return ensureTopic(admin, spec, prefix, DEFAULT_REPLICATION_FACTOR, DEFAULT_TIMEOUT);
    }

    /** As {@link #ensureTopic(Admin, TopicSpec, String)} with an explicit replication factor and timeout. */
    public static boolean ensureTopic(
            Admin admin, TopicSpec<?, ?> spec, String prefix, short replicationFactor, Duration timeout) {
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(spec, "spec");
        String name = Objects.requireNonNull(prefix, "prefix") + spec.baseName();
        KafkaFuture<Void> future = admin.createTopics(List.of(newTopic(name, spec, replicationFactor)))
                .values()
                .get(name);
        boolean created = createdNow(future, name, timeout);
        describeWhenVisible(admin, List.of(name), timeout);
        if (created) {
            log.info("created topic {}", name);
        }
        return created;
    }

    // -------------------------------------------------------------------------------------- internals

    static NewTopic newTopic(String name, TopicSpec<?, ?> spec, short replicationFactor) {
        return new NewTopic(name, Optional.of(spec.partitions()), Optional.of(replicationFactor))
                .configs(spec.topicConfig());
    }

    /** True if created now, false if it already existed; throws for any other failure. */
    private static boolean createdNow(KafkaFuture<Void> future, String name, Duration timeout) {
        try {
            future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw new KafkaException(
                    "could not create topic " + name + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("creating topic " + name + " did not finish within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
    }

    private static Map<String, List<Drift>> compare(
            Admin admin,
            Set<String> names,
            Map<String, TopicSpec<?, ?>> specs,
            short replicationFactor,
            Duration timeout) {
        Map<String, TopicDescription> descriptions = describeWhenVisible(admin, names, timeout);
        List<ConfigResource> resources = names.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n))
                .toList();
        Map<ConfigResource, Config> configs =
                await(admin.describeConfigs(resources).all(), timeout, "describe configs of " + names);

        Map<String, List<Drift>> drift = new LinkedHashMap<>();
        for (String name : names) {
            TopicSpec<?, ?> spec = specs.get(name);
            List<Drift> d = new ArrayList<>();
            TopicDescription description = descriptions.get(name);
            int partitions = description.partitions().size();
            if (partitions != spec.partitions()) {
                d.add(new Drift(name, PARTITIONS, Integer.toString(spec.partitions()), Integer.toString(partitions)));
            }
            int rf = description.partitions().isEmpty()
                    ? 0
                    : description.partitions().get(0).replicas().size();
            if (rf != replicationFactor) {
                d.add(new Drift(name, REPLICATION_FACTOR, Short.toString(replicationFactor), Integer.toString(rf)));
            }
            Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name));
            for (Map.Entry<String, String> wanted : new java.util.TreeMap<>(spec.topicConfig()).entrySet()) {
                ConfigEntry entry = config == null ? null : config.get(wanted.getKey());
                String actual = entry == null ? null : entry.value();
                if (!sameValue(wanted.getKey(), wanted.getValue(), actual)) {
                    d.add(new Drift(name, wanted.getKey(), wanted.getValue(), actual == null ? "(unset)" : actual));
                }
            }
            drift.put(name, d);
        }
        return drift;
    }

    /** Compares config values; list-valued {@code cleanup.policy} ignores order and spacing. */
    static boolean sameValue(String key, String expected, String actual) {
        if (actual == null) {
            return false;
        }
        if (key.equals("cleanup.policy")) {
            return asSet(expected).equals(asSet(actual));
        }
        return expected.trim().equals(actual.trim());
    }

    private static Set<String> asSet(String list) {
        return Arrays.stream(list.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<String> sortByCatalog(List<String> names, Map<String, TopicSpec<?, ?>> byName) {
        List<String> order = new ArrayList<>(byName.keySet());
        return names.stream()
                .sorted((a, b) -> Integer.compare(order.indexOf(a), order.indexOf(b)))
                .toList();
    }

    private static boolean allHaveLeaders(Map<String, TopicDescription> described) {
        return described.values().stream()
                .flatMap(d -> d.partitions().stream())
                .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
    }

    /**
     * Describes topics, retrying while the broker does not know them yet or a partition has no leader: a topic just created (here or
     * by another process) reaches the brokers' metadata shortly after the controller accepted it.
     */
    private static Map<String, TopicDescription> describeWhenVisible(
            Admin admin, Collection<String> names, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                long left = Math.max(1, deadline - System.nanoTime());
                Map<String, TopicDescription> described =
                        admin.describeTopics(names).allTopicNames().get(left, TimeUnit.NANOSECONDS);
                // a new partition is usable once it has a leader; producing before that fails the first
                // sends with NOT_LEADER_OR_FOLLOWER
                if (allHaveLeaders(described) || System.nanoTime() > deadline) {
                    return described;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw new KafkaException(
                            "could not describe topics " + names + ": "
                                    + e.getCause().getMessage(),
                            e.getCause());
                }
            } catch (TimeoutException e) {
                throw new KafkaException("could not describe topics " + names + " within " + timeout, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException(e);
            }
            try {
                Thread.sleep(VISIBILITY_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException(e);
            }
        }
    }

    private static <T> T await(KafkaFuture<T> future, Duration timeout, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new KafkaException("could not " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("could not " + what + " within " + timeout + " (is the cluster reachable?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
    }
}
