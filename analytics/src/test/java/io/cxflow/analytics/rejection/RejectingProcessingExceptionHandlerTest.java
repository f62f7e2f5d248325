package io.cxflow.analytics.rejection;

import static io.cxflow.analytics.testing.Events.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxflow.analytics.AnalyticsTopology;
import io.cxflow.analytics.profile.ProfileSettings;
import io.cxflow.analytics.profile.ProfileStage;
import io.cxflow.analytics.profile.ProfileTopology;
import io.cxflow.analytics.testing.Events;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.avro.RejectedEvent;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.platform.serde.RegistrySerdes;
import io.cxflow.schemas.Topics;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RejectingProcessingExceptionHandlerTest {

    private final Topics topics = new Topics(RegistrySerdes.inMemory(), "");
    private final Events events = new Events();

    @TempDir
    Path stateDir;

    /** A stage that fails on events named "Boom" the way a bug or an outage would. */
    private static ProfileStage failingOn(String eventName, RuntimeException failure) {
        return (builder, changes) -> changes.mapValues(
                change -> {
                    if (change.reason().contains("\"" + eventName + "\"")) {
                        throw failure;
                    }
                    return change;
                },
                Named.as("failing-stage"));
    }

    private TopologyTestDriver driver(ProfileStage stage) {
        StreamsBuilder builder = new StreamsBuilder();
        ProfileTopology.build(builder, topics, new ProfileSettings("EUR"), stage);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "handler-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.putAll(AnalyticsTopology.requiredStreamsConfig(topics));
        return new TopologyTestDriver(builder.build(), props);
    }

    @Test
    void shouldRejectRecordWhoseProcessingThrowsUnexpectedlyAndKeepProcessing() {
        try (TopologyTestDriver driver = driver(failingOn("Boom", new IllegalStateException("bug")))) {
            TestInputTopic<String, TouchpointEvent> input = driver.createInputTopic(
                    topics.events().name(),
                    new StringSerializer(),
                    topics.events().valueSerde().serializer());
            TestOutputTopic<String, RejectedEvent> rejected = driver.createOutputTopic(
                    topics.rejected().name(),
                    topics.rejected().keySerde().deserializer(),
                    topics.rejected().valueSerde().deserializer());
            TestOutputTopic<String, CustomerProfile> profiles = driver.createOutputTopic(
                    topics.profiles().name(),
                    topics.profiles().keySerde().deserializer(),
                    topics.profiles().valueSerde().deserializer());

            input.pipeInput("u-1", events.track("u-1", "Boom", at(1)).build());
            input.pipeInput("u-1", events.track("u-1", "Fine", at(2)).build());

            assertThat(rejected.readKeyValuesToList()).singleElement().satisfies(kv -> {
                assertThat(kv.key).isEqualTo("dev-web");
                assertThat(kv.value.getCode()).isEqualTo("processing_error");
                assertThat(kv.value.getReason()).contains("failing-stage").contains("bug");
                assertThat(kv.value.getOrigin().getOffset()).isZero();
                assertThat(kv.value.getPayload().remaining()).isPositive();
            });
            // the failure hit the customer stage: the routing id's partial already held "Boom", so the
            // next update of that partial ("Fine") carries both events
            assertThat(profiles.readValuesToList())
                    .singleElement()
                    .extracting(CustomerProfile::getEventCount)
                    .isEqualTo(2L);
        }
    }

    @Test
    void shouldFailTheTaskInsteadOfRejectingWhenADependencyIsUnavailable() {
        try (TopologyTestDriver driver = driver(failingOn("Boom", new TimeoutException("registry unreachable")))) {
            TestInputTopic<String, TouchpointEvent> input = driver.createInputTopic(
                    topics.events().name(),
                    new StringSerializer(),
                    topics.events().valueSerde().serializer());

            assertThatThrownBy(() -> input.pipeInput(
                            "u-1", events.track("u-1", "Boom", at(1)).build()))
                    .hasRootCauseInstanceOf(TimeoutException.class);
        }
    }
}
