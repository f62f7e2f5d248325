package io.cxflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxflow.avro.ActivationResult;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.avro.IdentityLink;
import io.cxflow.avro.PrivacyRequest;
import io.cxflow.avro.RejectedEvent;
import io.cxflow.avro.SegmentDefinition;
import io.cxflow.avro.SegmentMembershipChanged;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.avro.WorkflowDefinition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {

    private static final Pattern TOPIC_NAME = Pattern.compile("cx\\.[a-z-]+(\\.[a-z0-9-]+)?\\.v\\d+");

    /** Plain Avro binary serdes without a registry: enough to bind topics. */
    private static final SerdeProvider BINARY = new SerdeProvider() {
        @Override
        public <T extends SpecificRecord> Serde<T> avro(Class<T> type, boolean isKey) {
            return Serdes.serdeFrom(
                    (topic, value) -> {
                        try {
                            ByteArrayOutputStream out = new ByteArrayOutputStream();
                            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
                            new SpecificDatumWriter<>(type).write(value, encoder);
                            encoder.flush();
                            return out.toByteArray();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    },
                    (topic, bytes) -> {
                        try {
                            return new SpecificDatumReader<>(type)
                                    .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        }
    };

    @Test
    void shouldGiveEveryCatalogTopicAUniqueWellFormedName() {
        Set<String> names = new HashSet<>();
        for (TopicSpec<String, ?> spec : Topics.ALL) {
            assertThat(spec.baseName()).as("topic name").matches(TOPIC_NAME);
            assertThat(names.add(spec.baseName()))
                    .as("%s is unique", spec.baseName())
                    .isTrue();
        }
        assertThat(Topics.segmentTopic("high-value").baseName())
                .isEqualTo("cx.segment.high-value.v1")
                .matches(TOPIC_NAME)
                .isNotIn(names);
    }

    @Test
    void shouldCarryTheExpectedGeneratedClassOnEveryTopic() {
        Map<String, Class<?>> expected = new LinkedHashMap<>();
        expected.put("cx.events.v1", TouchpointEvent.class);
        expected.put("cx.events.rejected.v1", RejectedEvent.class);
        expected.put("cx.identity-links.v1", IdentityLink.class);
        expected.put("cx.profiles.v1", CustomerProfile.class);
        expected.put("cx.segment-definitions.v1", SegmentDefinition.class);
        expected.put("cx.segment-membership.v1", SegmentMembershipChanged.class);
        expected.put("cx.workflows.v1", WorkflowDefinition.class);
        expected.put("cx.activations.v1", ActivationResult.class);
        expected.put("cx.activations.dlq.v1", ActivationResult.class);
        expected.put("cx.privacy.v1", PrivacyRequest.class);

        Map<String, Class<?>> actual = new LinkedHashMap<>();
        for (TopicSpec<String, ?> spec : Topics.ALL) {
            actual.put(spec.baseName(), spec.valueType());
            assertThat(spec.keyType()).as("%s key", spec.baseName()).isEqualTo(String.class);
        }

        assertThat(actual).containsExactlyEntriesOf(expected);
        assertThat(Topics.segmentTopic("vip").valueType()).isEqualTo(SegmentMembershipChanged.class);
    }

    @Test
    void shouldKeepCompactedTopicsWithoutRetention() {
        for (TopicSpec<String, ?> spec : Topics.ALL) {
            Map<String, String> config = spec.topicConfig();
            assertThat(config).containsEntry("cleanup.policy", spec.cleanup().kafkaValue());
            if (spec.cleanup() == CleanupPolicy.COMPACT) {
                assertThat(spec.retention()).as("%s retention", spec.baseName()).isNull();
                assertThat(config).as(spec.baseName()).doesNotContainKey("retention.ms");
            } else {
                String expected = spec.retention() == null
                        ? "-1"
                        : Long.toString(spec.retention().toMillis());
                assertThat(config).as(spec.baseName()).containsEntry("retention.ms", expected);
            }
        }
        assertThat(Topics.PROFILES.cleanup()).isEqualTo(CleanupPolicy.COMPACT);
        assertThat(Topics.EVENTS.retention())
                .as("the replayable record is kept forever")
                .isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "a",
                "high-value",
                "vip-2026",
                "0",
                "a23456789012345678901234567890123456789012345678901234567890123"
            })
    void shouldNameASegmentTopicForAValidId(String id) {
        assertThat(Topics.segmentTopic(id).baseName()).isEqualTo("cx.segment." + id + ".v1");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "High-Value",
                "-lead",
                "a.b",
                "a_b",
                "a b",
                "é",
                "a/b",
                "a234567890123456789012345678901234567890123456789012345678901234"
            })
    void shouldRefuseASegmentIdThatCannotNameATopic(String id) {
        assertThatThrownBy(() -> Topics.segmentTopic(id))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("segment id must match");
    }

    @Test
    void shouldRefuseANullSegmentId() {
        assertThatThrownBy(() -> Topics.segmentTopic(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldBindTopicsToPrefixedNamesAndTheSameInstanceEveryTime() {
        Topics topics = new Topics(BINARY, "t-42.");

        assertThat(topics.events().name()).isEqualTo("t-42.cx.events.v1");
        assertThat(topics.segment("vip").name()).isEqualTo("t-42.cx.segment.vip.v1");
        assertThat(topics.events()).isSameAs(topics.events());
        assertThat(topics.segment("vip")).isSameAs(topics.segment("vip"));
        assertThat(topics.events().keySerde().serializer()).isInstanceOf(StringSerializer.class);
        assertThat(topics.name(Topics.PROFILES)).isEqualTo("t-42.cx.profiles.v1");
    }

    @Test
    void shouldDeclareAtLeastOnePartitionPerTopic() {
        assertThatThrownBy(() -> new TopicSpec<>(
                        "cx.bad.v1", 0, CleanupPolicy.DELETE, null, String.class, TouchpointEvent.class, "bad"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Topics.ALL).allSatisfy(spec -> assertThat(spec.partitions()).isPositive());
    }
}
