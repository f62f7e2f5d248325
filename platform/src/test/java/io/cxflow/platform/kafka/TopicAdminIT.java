package io.cxflow.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.avro.SegmentMembershipChanged;
import io.cxflow.schemas.TopicSpec;
import io.cxflow.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Creating the catalog on a real broker: idempotence, drift reporting and concurrent creation. */
class TopicAdminIT {

    @TempDir
    static Path dir;

    private static EmbeddedKafka kafka;
    private static Admin admin;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start(EmbeddedKafka.Settings.defaults(dir).withPorts(0, 0));
        admin = Admin.create(new KafkaSettings(kafka.bootstrapServers(), "it", null).admin("topics"));
    }

    @AfterAll
    static void stopBroker() {
        if (admin != null) {
            admin.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldCreateTheWholeCatalogOnceAndReportEverythingUnchangedTheSecondTime() throws Exception {
        String prefix = uniquePrefix();

        // When the catalog is applied to an empty namespace
        TopicAdmin.ApplyReport first = TopicAdmin.apply(admin, Topics.ALL, prefix);

        // Then every topic is created with its declared layout
        List<String> names = Topics.ALL.stream().map(s -> prefix + s.baseName()).toList();
        assertThat(first.created()).containsExactlyElementsOf(names);
        assertThat(first.unchanged()).isEmpty();
        assertThat(first.drift()).isEmpty();
        Map<String, TopicDescription> described =
                admin.describeTopics(names).allTopicNames().get();
        for (TopicSpec<String, ?> spec : Topics.ALL) {
            assertThat(described.get(prefix + spec.baseName()).partitions())
                    .as(spec.baseName())
                    .hasSize(spec.partitions());
        }

        // When it is applied again
        TopicAdmin.ApplyReport second = TopicAdmin.apply(admin, Topics.ALL, prefix);

        // Then nothing is created and nothing differs
        assertThat(second.created()).isEmpty();
        assertThat(second.unchanged()).containsExactlyElementsOf(names);
        assertThat(second.hasDrift()).isFalse();
        assertThat(second.render()).contains("0 created, " + names.size() + " unchanged, 0 with drift");
    }

    @Test
    void shouldReportPartitionsCleanupPolicyAndRetentionDriftOfExistingTopics() throws Exception {
        String prefix = uniquePrefix();
        String profiles = prefix + Topics.PROFILES.baseName();
        String events = prefix + Topics.EVENTS_REJECTED.baseName();

        // Given topics created by hand with the wrong layout
        admin.createTopics(List.of(
                        new NewTopic(profiles, Optional.of(3), Optional.empty())
                                .configs(Map.of("cleanup.policy", "delete")),
                        new NewTopic(events, Optional.of(6), Optional.empty())
                                .configs(Map.of(
                                        "retention.ms",
                                        Long.toString(Duration.ofDays(1).toMillis())))))
                .all()
                .get();

        // When the catalog is applied
        TopicAdmin.ApplyReport report =
                TopicAdmin.apply(admin, List.of(Topics.PROFILES, Topics.EVENTS_REJECTED, Topics.WORKFLOWS), prefix);

        // Then the missing topic is created and each difference is reported, not fixed
        assertThat(report.created()).containsExactly(prefix + Topics.WORKFLOWS.baseName());
        assertThat(report.unchanged()).isEmpty();
        assertThat(report.drift())
                .containsExactlyInAnyOrder(
                        new TopicAdmin.Drift(profiles, "partitions", "6", "3"),
                        new TopicAdmin.Drift(profiles, "cleanup.policy", "compact", "delete"),
                        new TopicAdmin.Drift(
                                events,
                                "retention.ms",
                                Long.toString(Duration.ofDays(30).toMillis()),
                                Long.toString(Duration.ofDays(1).toMillis())));
        assertThat(report.driftedTopics()).containsExactlyInAnyOrder(profiles, events);
        assertThat(admin.describeTopics(List.of(profiles))
                        .allTopicNames()
                        .get()
                        .get(profiles)
                        .partitions())
                .hasSize(3);
        assertThat(report.render())
                .contains(profiles)
                .contains("DRIFT")
                .contains("partitions: expected 6, actual 3")
                .contains("cleanup.policy: expected compact, actual delete");
    }

    @Test
    void shouldReportAReplicationFactorOtherThanTheRequestedOne() {
        String prefix = uniquePrefix();
        TopicAdmin.apply(admin, List.of(Topics.WORKFLOWS), prefix);

        TopicAdmin.ApplyReport report =
                TopicAdmin.apply(admin, List.of(Topics.WORKFLOWS), prefix, (short) 3, Duration.ofSeconds(30));

        assertThat(report.drift())
                .containsExactly(
                        new TopicAdmin.Drift(prefix + Topics.WORKFLOWS.baseName(), "replication.factor", "3", "1"));
    }

    @Test
    void shouldCreateARuntimeTopicOnceEvenWhenManyCallersRace() throws Exception {
        String prefix = uniquePrefix();
        TopicSpec<String, SegmentMembershipChanged> segment = Topics.segmentTopic("vip");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            // When four callers ensure the same topic at once
            List<CompletableFuture<Boolean>> calls = java.util.stream.IntStream.range(0, 4)
                    .mapToObj(i ->
                            CompletableFuture.supplyAsync(() -> TopicAdmin.ensureTopic(admin, segment, prefix), pool))
                    .toList();

            // Then exactly one created it and none failed
            List<Boolean> created = calls.stream().map(CompletableFuture::join).toList();
            assertThat(created).containsOnlyOnce(true);
        } finally {
            pool.shutdownNow();
        }
        assertThat(TopicAdmin.ensureTopic(admin, segment, prefix)).isFalse();
        Set<String> names = admin.listTopics().names().get();
        assertThat(names).contains(prefix + "cx.segment.vip.v1");
        assertThat(admin.describeTopics(List.of(prefix + "cx.segment.vip.v1"))
                        .allTopicNames()
                        .get()
                        .get(prefix + "cx.segment.vip.v1")
                        .partitions())
                .hasSize(segment.partitions());
    }

    private static String uniquePrefix() {
        return "it-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    }
}
