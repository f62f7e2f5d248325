package io.cxflow.analytics.segment.internal;

import io.cxflow.analytics.AnalyticsMetrics;
import io.cxflow.analytics.profile.IdentifierType;
import io.cxflow.analytics.profile.ProfileChange;
import io.cxflow.analytics.segment.ConditionEvaluationException;
import io.cxflow.analytics.segment.MembershipState;
import io.cxflow.analytics.segment.ProfileView;
import io.cxflow.analytics.segment.Segment;
import io.cxflow.analytics.segment.SegmentSettings;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.avro.MembershipChange;
import io.cxflow.avro.SegmentMembershipChanged;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.avro.TraitValue;
import io.cxflow.schemas.json.JsonText;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates every segment on a changed profile, keeps each (segment, customer) membership in the
 * membership store, emits ENTERED / EXITED when the answer changes, and sets {@code profile.segments}.
 * A condition that fails to evaluate for a profile counts as not holding (and is counted).
 */
public final class SegmentProcessor implements FixedKeyProcessor<String, ProfileChange, SegmentEvaluation> {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentProcessor.class);

    private final String membershipStoreName;
    private final SegmentSettings settings;
    private FixedKeyProcessorContext<String, SegmentEvaluation> context;
    private KeyValueStore<String, MembershipState> memberships;
    private Sensor entered;
    private Sensor exited;
    private Sensor evaluationErrors;

    public SegmentProcessor(String membershipStoreName, SegmentSettings settings) {
        this.membershipStoreName = Objects.requireNonNull(membershipStoreName, "membershipStoreName");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public void init(FixedKeyProcessorContext<String, SegmentEvaluation> context) {
        this.context = context;
        this.memberships = context.getStateStore(membershipStoreName);
        this.entered = sensor(context, AnalyticsMetrics.ENTERED_OPERATION);
        this.exited = sensor(context, AnalyticsMetrics.EXITED_OPERATION);
        this.evaluationErrors = sensor(context, AnalyticsMetrics.EVALUATION_ERROR_OPERATION);
    }

    private static Sensor sensor(FixedKeyProcessorContext<?, ?> context, String operation) {
        return context.metrics()
                .addRateTotalSensor(
                        AnalyticsMetrics.STREAMS_SCOPE,
                        AnalyticsMetrics.SEGMENT_ENTITY,
                        operation,
                        Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(FixedKeyRecord<String, ProfileChange> record) {
        ProfileChange change = record.value();
        CustomerProfile profile = change.after();
        Map<String, Object> view = profile == null ? null : ProfileView.of(profile);
        Instant at = change.at();
        List<String> memberOf = new ArrayList<>();
        List<SegmentMembershipChanged> changes = new ArrayList<>();
        for (Segment segment : settings.segments()) {
            String key = MembershipState.key(segment.id(), change.customerId());
            MembershipState state = memberships.get(key);
            boolean wasMember = state != null && state.member();
            boolean holds = view != null && holds(segment, view);
            if (holds) {
                memberOf.add(segment.id());
            }
            if (holds == wasMember) {
                continue;
            }
            long version = state == null ? 1 : state.membershipVersion() + 1;
            memberships.put(key, new MembershipState(holds, version, at));
            (holds ? entered : exited).record();
            changes.add(membershipChanged(segment, change, holds, version, at));
        }
        memberOf.sort(null);
        CustomerProfile updated = profile == null || profile.getSegments().equals(memberOf)
                ? profile
                : CustomerProfile.newBuilder(profile).setSegments(memberOf).build();
        context.forward(record.withValue(new SegmentEvaluation(change.withProfile(updated), changes)));
    }

    private boolean holds(Segment segment, Map<String, Object> view) {
        try {
            return segment.condition().test(view);
        } catch (ConditionEvaluationException e) {
            evaluationErrors.record();
            LOG.debug(
                    "segment {} condition did not evaluate, counted as not holding: {}", segment.id(), e.getMessage());
            return false;
        }
    }

    private static SegmentMembershipChanged membershipChanged(
            Segment segment, ProfileChange change, boolean entered, long version, Instant at) {
        CustomerProfile profile = change.after() != null ? change.after() : change.before();
        Map<String, List<String>> identities = new TreeMap<>();
        profile.getIdentities().forEach((type, values) -> identities.put(type, List.copyOf(values)));
        Map<String, Boolean> consent = new TreeMap<>();
        profile.getConsent().forEach((channel, state) -> consent.put(channel, state.getGranted()));
        return SegmentMembershipChanged.newBuilder()
                .setCustomerId(change.customerId())
                .setSegmentId(segment.id())
                .setSegmentVersion(segment.version())
                .setChange(entered ? MembershipChange.ENTERED : MembershipChange.EXITED)
                .setMembershipVersion(version)
                .setReason(change.reason())
                .setAt(at)
                .setIdentities(identities)
                .setEmail(contact(profile, IdentifierType.EMAIL).orElse(null))
                .setPhone(contact(profile, IdentifierType.PHONE).orElse(null))
                .setConsent(consent)
                .setTimezone(profile.getTimezone())
                .build();
    }

    /** The event that changed the answer, e.g. {@code event "Order Completed" (track, messageId m-1)}. */
    public static String reason(TouchpointEvent cause) {
        String type = cause.getType().name().toLowerCase(Locale.ROOT);
        String name =
                switch (cause.getType()) {
                    case TRACK -> cause.getEvent();
                    case PAGE -> "Page Viewed";
                    case SCREEN -> "Screen Viewed";
                    case IDENTIFY, GROUP, ALIAS -> null;
                };
        String what = name == null ? "event " + type : "event \"" + name + "\"";
        return what + " (" + type + ", messageId " + cause.getMessageId() + ")";
    }

    /** The current email/phone trait when it is a valid identifier, else the first known identifier. */
    static Optional<String> contact(CustomerProfile profile, IdentifierType type) {
        TraitValue trait = profile.getTraits().get(type.contractName());
        if (trait != null) {
            var node = JsonText.read(trait.getValue());
            if (node != null && node.isTextual()) {
                Optional<String> normalized = type.normalize(node.asText());
                if (normalized.isPresent()) {
                    return normalized;
                }
            }
        }
        List<String> known = profile.getIdentities().get(type.contractName());
        return known == null || known.isEmpty() ? Optional.empty() : Optional.of(known.getFirst());
    }
}
