package io.cxflow.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.analytics.AnalyticsConfig;
import io.cxflow.analytics.AnalyticsService;
import io.cxflow.analytics.reset.ApplicationProgress;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.platform.config.ConfigSource;
import io.cxflow.schemas.Topics;
import io.cxflow.testkit.CxIntegrationTest;
import io.cxflow.testkit.TestEvents;
import io.cxflow.testkit.TestPlatform;
import io.cxflow.testkit.TestPlatform.KeyValue;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@CxIntegrationTest
class AnalyticsRebuildIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    @Test
    void shouldRefuseWhileAnalyticsRunsThenRebuildTheSameProfilesFromTheFirstEvent(
            TestPlatform platform, @TempDir Path state) throws Exception {
        // Given events of three customers, processed by a running analytics service
        platform.createTopics();
        String app = platform.uniqueId("analytics");
        List<KeyValue<TouchpointEvent>> events = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String user = "u-" + (i % 3);
            events.add(KeyValue.of(
                    user,
                    TestEvents.track(user, null, "Product Viewed", T0.plusSeconds(i))
                            .build()));
        }
        platform.produce(platform.topics().events(), events);
        AnalyticsConfig config = AnalyticsConfig.from(ConfigSource.of(Map.of("analytics.port", "0")))
                .withApplicationId(app)
                .withStateDir(state);
        String[] rebuild = {
            "analytics",
            "rebuild",
            "--bootstrap-servers",
            platform.bootstrapServers(),
            "--registry-url",
            platform.registryUrl(),
            "--prefix",
            platform.topics().prefix(),
            "--application-id",
            app,
            "--state-dir",
            state.toString()
        };
        try (AnalyticsService analytics = AnalyticsService.start(config, platform.context())) {
            ApplicationProgress progress = new ApplicationProgress(
                    platform.admin(), app, platform.topics().events().name());
            progress.awaitDrained(progress.captureTarget(), DEADLINE, Duration.ofMillis(100), p -> {});

            // When a rebuild is started while it runs
            CxRun refused = CxRun.of(rebuild);

            // Then it is refused and says why
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.err()).contains("stop the analytics service first");
        }
        Map<String, CustomerProfile> live = lastProfiles(platform, Map.of());
        Map<Integer, Long> liveEnds = profileEnds(platform);

        // When it is rebuilt after the service stopped
        CxRun rebuilt = CxRun.of(rebuild);

        // Then it reprocessed all 12 events and the rebuilt profiles equal the live ones
        assertThat(rebuilt.exitCode()).as(rebuilt.err()).isZero();
        assertThat(rebuilt.out())
                .contains("reset " + app)
                .contains("deleted (committed offsets gone)")
                .contains("12 events to process")
                .contains("rebuilt " + app + ": 12 events in");
        assertThat(rebuilt.err()).contains("100%").contains("12 / 12 events");
        Map<String, CustomerProfile> again = lastProfiles(platform, liveEnds);
        assertThat(again).hasSize(3).isEqualTo(live);
        assertThat(again.values())
                .filteredOn(
                        p -> p.getIdentities().getOrDefault("userId", List.of()).contains("u-1"))
                .singleElement()
                .satisfies(p -> assertThat(p.getEventCount()).isEqualTo(4));
    }

    /** The last stable offset of each partition of the profiles topic. */
    private static Map<Integer, Long> profileEnds(TestPlatform platform) throws Exception {
        String topic = platform.topics().profiles().name();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < Topics.PROFILES.partitions(); p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<Integer, Long> ends = new HashMap<>();
        platform.admin()
                .listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all()
                .get(30, TimeUnit.SECONDS)
                .forEach((tp, info) -> ends.put(tp.partition(), info.offset()));
        return ends;
    }

    /** The last profile per customer among the records at or after {@code from} (per partition). */
    private static Map<String, CustomerProfile> lastProfiles(TestPlatform platform, Map<Integer, Long> from) {
        Map<String, CustomerProfile> last = new HashMap<>();
        for (ConsumerRecord<String, CustomerProfile> r :
                platform.readAll(platform.topics().profiles(), DEADLINE)) {
            if (r.offset() >= from.getOrDefault(r.partition(), 0L)) {
                last.put(r.key(), r.value());
            }
        }
        return last;
    }
}
