package io.cxflow.collector;

import io.cxflow.platform.CommonConfig;
import io.cxflow.platform.PlatformContext;
import io.cxflow.platform.config.ConfigSource;
import io.cxflow.platform.kafka.KafkaSettings;
import io.cxflow.testkit.TestPlatform;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Starts a collector on a test's namespace of the testkit cluster, in the production profile. */
final class TestCollectors {

    private TestCollectors() {}

    /** @param values collector config keys; {@code collector.port} defaults to 0 */
    static CollectorService start(TestPlatform platform, Map<String, String> values) {
        return CollectorService.start(config(values), context(platform));
    }

    static CollectorConfig config(Map<String, String> values) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("collector.port", "0");
        all.putAll(values);
        return CollectorConfig.from(ConfigSource.of(all));
    }

    static PlatformContext context(TestPlatform platform) {
        CommonConfig common = new CommonConfig(
                CommonConfig.Profile.PRODUCTION,
                platform.bootstrapServers(),
                platform.registryUrl(),
                platform.topics().prefix(),
                "admin-" + UUID.randomUUID());
        return new PlatformContext(
                new KafkaSettings(platform.bootstrapServers(), platform.uniqueId("collector"), platform.registryUrl()),
                platform.serdes(),
                platform.topics(),
                common);
    }
}
