package io.cxflow.schemas;

import io.cxflow.avro.ActivationResult;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.avro.IdentityLink;
import io.cxflow.avro.PrivacyRequest;
import io.cxflow.avro.RejectedEvent;
import io.cxflow.avro.SegmentDefinition;
import io.cxflow.avro.SegmentMembershipChanged;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.avro.WorkflowDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topic catalog: every topic cxflow reads or writes, declared once. The static {@link TopicSpec}s
 * are the declarations; an instance binds them to serdes and to an optional name prefix (tests use a
 * unique prefix per test so topics never collide).
 */
public final class Topics {

    private static final int PARTITIONS = 6;
    private static final Duration WEEK = Duration.ofDays(7);
    private static final Duration MONTH = Duration.ofDays(30);
    private static final Pattern SEGMENT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    public static final TopicSpec<String, TouchpointEvent> EVENTS = new TopicSpec<>(
            "cx.events.v1",
            PARTITIONS,
            CleanupPolicy.DELETE,
            null,
            String.class,
            TouchpointEvent.class,
            "raw accepted events keyed by routing id (userId, else anonymousId); the replayable record");
    public static final TopicSpec<String, RejectedEvent> EVENTS_REJECTED = new TopicSpec<>(
            "cx.events.rejected.v1",
            PARTITIONS,
            CleanupPolicy.DELETE,
            MONTH,
            String.class,
            RejectedEvent.class,
            "refused messages and unprocessable records, with the reason");
    public static final TopicSpec<String, IdentityLink> IDENTITY_LINKS = new TopicSpec<>(
            "cx.identity-links.v1",
            PARTITIONS,
            CleanupPolicy.COMPACT,
            null,
            String.class,
            IdentityLink.class,
            "identity graph: identifier -> customer, merges and redirects");
    public static final TopicSpec<String, CustomerProfile> PROFILES = new TopicSpec<>(
            "cx.profiles.v1",
            PARTITIONS,
            CleanupPolicy.COMPACT,
            null,
            String.class,
            CustomerProfile.class,
            "the unified customer profile, every change");
    public static final TopicSpec<String, SegmentDefinition> SEGMENT_DEFINITIONS = new TopicSpec<>(
            "cx.segment-definitions.v1",
            1,
            CleanupPolicy.COMPACT,
            null,
            String.class,
            SegmentDefinition.class,
            "segment definitions, editable at runtime");
    public static final TopicSpec<String, SegmentMembershipChanged> SEGMENT_MEMBERSHIP = new TopicSpec<>(
            "cx.segment-membership.v1",
            PARTITIONS,
            CleanupPolicy.DELETE,
            MONTH,
            String.class,
            SegmentMembershipChanged.class,
            "ENTERED / EXITED with a profile snapshot");
    public static final TopicSpec<String, WorkflowDefinition> WORKFLOWS = new TopicSpec<>(
            "cx.workflows.v1",
            1,
            CleanupPolicy.COMPACT,
            null,
            String.class,
            WorkflowDefinition.class,
            "workflow definitions");
    public static final TopicSpec<String, ActivationResult> ACTIVATIONS = new TopicSpec<>(
            "cx.activations.v1",
            PARTITIONS,
            CleanupPolicy.DELETE,
            MONTH,
            String.class,
            ActivationResult.class,
            "every activation attempt and outcome");
    public static final TopicSpec<String, ActivationResult> ACTIVATIONS_DLQ = new TopicSpec<>(
            "cx.activations.dlq.v1",
            PARTITIONS,
            CleanupPolicy.DELETE,
            MONTH,
            String.class,
            ActivationResult.class,
            "activations that failed permanently or exhausted their retries");
    public static final TopicSpec<String, PrivacyRequest> PRIVACY = new TopicSpec<>(
            "cx.privacy.v1",
            PARTITIONS,
            CleanupPolicy.DELETE,
            null,
            String.class,
            PrivacyRequest.class,
            "delete / suppress / consent requests");

    /** Every fixed catalog topic, in the order {@code topics apply} reports them. */
    public static final List<TopicSpec<String, ?>> ALL = List.of(
            EVENTS,
            EVENTS_REJECTED,
            IDENTITY_LINKS,
            PROFILES,
            SEGMENT_DEFINITIONS,
            SEGMENT_MEMBERSHIP,
            WORKFLOWS,
            ACTIVATIONS,
            ACTIVATIONS_DLQ,
            PRIVACY);

    /** The declaration of the opt-in per-segment topic {@code cx.segment.<id>.v1}. */
    public static TopicSpec<String, SegmentMembershipChanged> segmentTopic(String segmentId) {
        if (segmentId == null || !SEGMENT_ID.matcher(segmentId).matches()) {
            throw new IllegalArgumentException(
                    "segment id must match " + SEGMENT_ID.pattern() + " to name a topic: " + segmentId);
        }
        return new TopicSpec<>(
                "cx.segment." + segmentId + ".v1",
                PARTITIONS,
                CleanupPolicy.DELETE,
                WEEK,
                String.class,
                SegmentMembershipChanged.class,
                "membership changes of segment " + segmentId);
    }

    private final SerdeProvider serdes;
    private final String prefix;
    private final ConcurrentMap<TopicSpec<?, ?>, Topic<?, ?>> bound = new ConcurrentHashMap<>();

    /**
     * @param serdes builds the value serdes
     * @param prefix prepended to every topic name ({@code ""} in production)
     */
    public Topics(SerdeProvider serdes, String prefix) {
        this.serdes = Objects.requireNonNull(serdes, "serdes");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    public String prefix() {
        return prefix;
    }

    /** The concrete name of a declared topic. */
    public String name(TopicSpec<?, ?> spec) {
        return prefix + spec.baseName();
    }

    /** Binds a declaration to its concrete name and serdes; the same instance is returned every time. */
    @SuppressWarnings("unchecked")
    public <K, V extends SpecificRecord> Topic<K, V> topic(TopicSpec<K, V> spec) {
        return (Topic<K, V>) bound.computeIfAbsent(spec, s -> bind(spec));
    }

    @SuppressWarnings("unchecked")
    private <K, V extends SpecificRecord> Topic<K, V> bind(TopicSpec<K, V> spec) {
        if (spec.keyType() != String.class) {
            throw new IllegalArgumentException("catalog keys are strings: " + spec.baseName());
        }
        return new Topic<>(
                name(spec),
                spec,
                (org.apache.kafka.common.serialization.Serde<K>) Serdes.String(),
                serdes.avro(spec.valueType(), false));
    }

    public Topic<String, TouchpointEvent> events() {
        return topic(EVENTS);
    }

    public Topic<String, RejectedEvent> rejected() {
        return topic(EVENTS_REJECTED);
    }

    public Topic<String, IdentityLink> identityLinks() {
        return topic(IDENTITY_LINKS);
    }

    public Topic<String, CustomerProfile> profiles() {
        return topic(PROFILES);
    }

    public Topic<String, SegmentDefinition> segmentDefinitions() {
        return topic(SEGMENT_DEFINITIONS);
    }

    public Topic<String, SegmentMembershipChanged> segmentMembership() {
        return topic(SEGMENT_MEMBERSHIP);
    }

    public Topic<String, SegmentMembershipChanged> segment(String segmentId) {
        return topic(segmentTopic(segmentId));
    }

    public Topic<String, WorkflowDefinition> workflows() {
        return topic(WORKFLOWS);
    }

    public Topic<String, ActivationResult> activations() {
        return topic(ACTIVATIONS);
    }

    public Topic<String, ActivationResult> activationsDlq() {
        return topic(ACTIVATIONS_DLQ);
    }

    public Topic<String, PrivacyRequest> privacy() {
        return topic(PRIVACY);
    }
}
