package io.cxflow.platform;

import io.cxflow.platform.kafka.KafkaSettings;
import io.cxflow.schemas.SerdeProvider;
import io.cxflow.schemas.Topics;
import java.util.Objects;

/**
 * What every service shares: Kafka client settings, the serdes bound to the schema registry, the topic catalog and
 * the common config. Built once per process and handed to each service's {@code start}.
 */
public record PlatformContext(KafkaSettings kafka, SerdeProvider serdes, Topics topics, CommonConfig common) {

    public PlatformContext {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(serdes, "serdes");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(common, "common");
    }

    /** The production wiring: serdes on the configured registry, topics with the configured prefix. */
    public static PlatformContext connect(CommonConfig common, SerdeProvider serdes, String clientIdPrefix) {
        KafkaSettings kafka = new KafkaSettings(common.bootstrapServers(), clientIdPrefix, common.registryUrl());
        return new PlatformContext(kafka, serdes, new Topics(serdes, common.topicPrefix()), common);
    }
}
