package io.cxflow.analytics.segment.internal;

import io.cxflow.analytics.AnalyticsMetrics;
import io.cxflow.analytics.profile.IdentifierType;
import io.cxflow.analytics.profile.ProfileChange;
import io.cxflow.analytics.profile.internal.ProfileCanonical;
import io.cxflow.analytics.segment.ConditionEvaluationException;
import io.cxflow.analytics.segment.MembershipState;
import io.cxflow.analytics.segment.ProfileView;
import io.cxflow.analytics.segment.Segment;
import io.cxflow.analytics.segment.SegmentSettings;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.avro.MembershipChange;
import io.cxflow.avro.SegmentDefinition;
import io.cxflow.avro.SegmentMembershipChanged;
import io.cxflow.avro.TraitValue;
import io.cxflow.schemas.json.JsonText;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.common.metrics.stats.WindowedSum;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates every segment in force ({@link SegmentCatalog}) on a customer's profile, keeps each
 * (segment, customer) membership, emits ENTERED / EXITED when the answer changes, sets {@code
 * profile.segments}, and keeps live sizes. Three things trigger an evaluation:
 *
 * <ul>
 *   <li>a profile change (the record);
 *   <li>time alone: after each evaluation the customer is scheduled ({@code segment-schedule}) at or
 *       before the earliest moment any condition's answer may change without a new event ({@link
 *       io.cxflow.analytics.segment.SegmentCondition#nextPossibleChange}, found without evaluating the
 *       conditions; see {@link #evaluate}); a wall-clock punctuator (every second) re-evaluates the customers that are due and
 *       schedules them again — no scans of all profiles;
 *   <li>a definition change (added, edited, deleted segment): a background backfill walks this task's
 *       profiles in chunks; a deleted segment's members exit.
 * </ul>
 *
 * A condition that fails to evaluate for a profile counts as not holding (and is counted).
 */
public final class SegmentProcessor implements Processor<String, ProfileChange, String, SegmentEvaluation> {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentProcessor.class);
    private static final Duration TICK = Duration.ofSeconds(1);
    private static final int DUE_PER_TICK = 2_000;
    private static final int BACKFILL_PER_TICK = 1_000;
    private static final String APPLIED = "applied";
    private static final String RETIRED = "retired";
    private static final String CURSOR = "cursor";
    private static final String CLOCK = "clock";

    private static final String DUE_PREFIX = "d";
    private static final String NEXT_PREFIX = "n";

    /** Membership states kept as objects per processor (about 150 bytes each). */
    private static final int KNOWN_MEMBERSHIPS = 50_000;

    /** Marks a key known to have no state (compared by reference). */
    private static final MembershipState ABSENT = new MembershipState(false, 1, Instant.EPOCH);

    /** Customers' scheduled times kept as objects per processor (about 100 bytes each). */
    private static final int KNOWN_SCHEDULES = 50_000;

    /** Marks a customer known to have no scheduled time. */
    private static final long UNSCHEDULED = Long.MIN_VALUE;

    private final Map<String, MembershipState> knownMemberships = lastUsed(KNOWN_MEMBERSHIPS);
    /** Customer id → scheduled time ({@link #UNSCHEDULED} when none), as stored in the schedule store. */
    private final Map<String, Long> knownSchedules = lastUsed(KNOWN_SCHEDULES);

    private final SegmentSettings configured;
    private final String definitionsStoreName;
    private final SegmentStores stores;
    private ProcessorContext<String, SegmentEvaluation> context;
    private KeyValueStore<String, MembershipState> memberships;
    private KeyValueStore<String, Long> sizes;
    private KeyValueStore<String, Long> schedule;
    private KeyValueStore<String, String> state;
    private KeyValueStore<String, CustomerProfile> profiles;
    private SegmentCatalog catalog;
    /** The segments in force, refreshed from the catalog every tick (definitions apply within a second). */
    private List<SegmentCatalog.Active> inForce;

    private List<String> retiredCache;
    /** Whether every profile of this task was last evaluated by the segments in force (no backfill due). */
    private boolean settled;
    /** The latest evaluation time used (kept in the state store under {@link #CLOCK}). */
    private EvaluationClock clock;
    /** Whether the current evaluation time is at or after every evaluation time used before. */
    private boolean timeInOrder;

    private Sensor evaluated;
    private Sensor unchanged;
    private Sensor entered;
    private Sensor exited;
    private Sensor evaluationErrors;
    private Sensor timeEvaluations;
    private Sensor backfilled;

    /** A map that keeps its {@code capacity} entries used last. */
    private static <V> Map<String, V> lastUsed(int capacity) {
        return new java.util.LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The names of the stores the processor uses. */
    public record SegmentStores(String membership, String sizes, String schedule, String state, String profiles) {}

    public SegmentProcessor(SegmentSettings configured, String definitionsStoreName, SegmentStores stores) {
        this.configured = Objects.requireNonNull(configured, "configured");
        this.definitionsStoreName = definitionsStoreName;
        this.stores = Objects.requireNonNull(stores, "stores");
    }

    @Override
    public void init(ProcessorContext<String, SegmentEvaluation> context) {
        this.context = context;
        this.memberships = context.getStateStore(stores.membership());
        this.knownMemberships.clear();
        this.knownSchedules.clear();
        this.sizes = context.getStateStore(stores.sizes());
        this.schedule = context.getStateStore(stores.schedule());
        this.state = context.getStateStore(stores.state());
        this.profiles = context.getStateStore(stores.profiles());
        this.catalog = new SegmentCatalog(configured, definitions(context));
        this.entered = sensor(AnalyticsMetrics.ENTERED_OPERATION);
        this.exited = sensor(AnalyticsMetrics.EXITED_OPERATION);
        this.evaluationErrors = sensor(AnalyticsMetrics.EVALUATION_ERROR_OPERATION);
        this.timeEvaluations = sensor(AnalyticsMetrics.TIME_EVALUATION_OPERATION);
        this.backfilled = sumSensor(AnalyticsMetrics.BACKFILLED_OPERATION, "profiles re-evaluated by a backfill");
        this.evaluated = sumSensor(
                AnalyticsMetrics.CONDITION_EVALUATED_OPERATION, "segment conditions evaluated for profile changes");
        this.unchanged = sumSensor(
                AnalyticsMetrics.CONDITION_UNCHANGED_OPERATION,
                "segment conditions answered unchanged, without evaluation, for profile changes");
        String mark = state.get(CLOCK);
        this.clock = new EvaluationClock(mark == null ? 0 : Long.parseLong(mark));
        this.inForce = catalog.current();
        this.settled = settled(inForce);
        context.schedule(TICK, PunctuationType.WALL_CLOCK_TIME, this::tick);
    }

    private ReadOnlyKeyValueStore<String, SegmentDefinition> definitions(ProcessorContext<?, ?> context) {
        if (definitionsStoreName == null) {
            return null;
        }
        Object store = context.getStateStore(definitionsStoreName);
        if (store instanceof TimestampedKeyValueStore<?, ?>) {
            @SuppressWarnings("unchecked")
            TimestampedKeyValueStore<String, SegmentDefinition> timestamped =
                    (TimestampedKeyValueStore<String, SegmentDefinition>) store;
            return new ReadOnlyKeyValueStore<>() {
                @Override
                public SegmentDefinition get(String key) {
                    ValueAndTimestamp<SegmentDefinition> value = timestamped.get(key);
                    return value == null ? null : value.value();
                }

                @Override
                public KeyValueIterator<String, SegmentDefinition> range(String from, String to) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public KeyValueIterator<String, SegmentDefinition> all() {
                    KeyValueIterator<String, ValueAndTimestamp<SegmentDefinition>> it = timestamped.all();
                    return new KeyValueIterator<>() {
                        @Override
                        public void close() {
                            it.close();
                        }

                        @Override
                        public String peekNextKey() {
                            return it.peekNextKey();
                        }

                        @Override
                        public boolean hasNext() {
                            return it.hasNext();
                        }

                        @Override
                        public KeyValue<String, SegmentDefinition> next() {
                            KeyValue<String, ValueAndTimestamp<SegmentDefinition>> next = it.next();
                            return KeyValue.pair(next.key, next.value == null ? null : next.value.value());
                        }
                    };
                }

                @Override
                public long approximateNumEntries() {
                    return timestamped.approximateNumEntries();
                }
            };
        }
        @SuppressWarnings("unchecked")
        ReadOnlyKeyValueStore<String, SegmentDefinition> plain =
                (ReadOnlyKeyValueStore<String, SegmentDefinition>) store;
        return plain;
    }

    private Sensor sensor(String operation) {
        return context.metrics()
                .addRateTotalSensor(
                        AnalyticsMetrics.STREAMS_SCOPE,
                        AnalyticsMetrics.SEGMENT_ENTITY,
                        operation,
                        Sensor.RecordingLevel.INFO);
    }

    /**
     * A sensor whose {@code -total} and {@code -rate} add the recorded values (a Streams rate/total sensor
     * counts its invocations), named like the other segment sensors.
     */
    private Sensor sumSensor(String operation, String description) {
        String thread = Thread.currentThread().getName();
        String group = "stream-" + AnalyticsMetrics.STREAMS_SCOPE + "-metrics";
        Map<String, String> tags =
                Map.of("thread-id", thread, AnalyticsMetrics.STREAMS_SCOPE + "-id", AnalyticsMetrics.SEGMENT_ENTITY);
        Sensor sensor = context.metrics()
                .addSensor(
                        thread + "." + AnalyticsMetrics.STREAMS_SCOPE + "." + AnalyticsMetrics.SEGMENT_ENTITY + "."
                                + operation,
                        Sensor.RecordingLevel.INFO);
        sensor.add(new MetricName(operation + "-total", group, "total " + description, tags), new CumulativeSum());
        sensor.add(
                new MetricName(operation + "-rate", group, description + " per second", tags),
                new Rate(TimeUnit.SECONDS, new WindowedSum()));
        return sensor;
    }

    @Override
    public void process(Record<String, ProfileChange> record) {
        ProfileChange change = record.value();
        Instant now = now(context.currentSystemTimeMs());
        SegmentEvaluation evaluation = evaluate(change, inForce, retired(), change.at(), now, true);
        context.forward(record.withValue(evaluation));
    }

    /**
     * The evaluation time: the wall clock. Notes whether it is at or after every evaluation time this
     * task used ({@link EvaluationClock}, kept across restarts in the state store about once a second):
     * only then may an unchanged condition keep its earlier answer.
     */
    private Instant now(long wallClock) {
        timeInOrder = clock.observe(wallClock);
        long mark = clock.markToStore();
        if (mark >= 0) {
            state.put(CLOCK, Long.toString(mark));
        }
        return Instant.ofEpochMilli(wallClock);
    }

    /**
     * Evaluates every segment for one change and reschedules the customer.
     *
     * <p>With {@code incremental}, a condition keeps the answer the stored profile lists when nothing it
     * reads differs between the stored profile and the new one ({@link InputChanges}) and time alone has
     * not changed any answer since the last evaluation: that evaluation was at or before {@code now}
     * ({@link EvaluationClock}) and scheduled the customer at or before the earliest moment an answer
     * may change with time, which is still ahead. The answer for the new profile at {@code now} is then
     * the answer for the stored profile at {@code now}, which is the answer it got then.
     *
     * <p>The schedule stays a lower bound of every condition's next possible change: a full evaluation
     * sets it to the earliest of all conditions; an incremental one only moves it earlier, to the
     * earliest of the conditions it evaluated (a kept answer's next possible change is that of the
     * stored profile, at or after the scheduled time). A time that comes too early costs one full
     * evaluation when it is due, which schedules the customer afresh; rewriting the schedule on every
     * event would cost four store writes each.
     */
    private SegmentEvaluation evaluate(
            ProfileChange change,
            List<SegmentCatalog.Active> segments,
            List<String> retired,
            Instant at,
            Instant now,
            boolean incremental) {
        CustomerProfile profile = change.after();
        // the segments the stored profile lists are exactly those it is a member of: every membership
        // change is stored together with the profile listing it (same transaction)
        CustomerProfile listing = profile != null ? profile : change.before();
        Set<String> listed =
                listing == null || listing.getSegments().isEmpty() ? Set.of() : new HashSet<>(listing.getSegments());
        Long scheduled = scheduledFor(change.customerId());
        InputChanges inputs = incremental && unchangedAnswersStand(change, scheduled, now)
                ? InputChanges.between(change.before(), profile)
                : null;
        ProfileView view = null;
        List<String> memberOf = new ArrayList<>();
        List<SegmentMembershipChanged> changes = new ArrayList<>();
        List<Boolean> fanOut = new ArrayList<>();
        // a kept answer keeps its moment of change too: it is at or after the one scheduled, which
        // therefore stays the bound, moved only earlier by the conditions evaluated now
        Instant next = inputs == null || scheduled == null ? null : Instant.ofEpochMilli(scheduled);
        int skipped = 0;
        for (SegmentCatalog.Active active : segments) {
            Segment segment = active.segment();
            boolean wasListed = listed.contains(segment.id());
            boolean holds;
            if (inputs != null && !segment.condition().readsChanged(inputs)) {
                holds = wasListed;
                skipped++;
            } else if (profile == null) {
                holds = false;
            } else {
                if (view == null) {
                    view = ProfileView.of(profile);
                }
                holds = holds(segment, view, now);
                Optional<Instant> check = nextCheck(segment, view, now);
                if (check.isPresent() && (next == null || check.get().isBefore(next))) {
                    next = check.get();
                }
            }
            if (holds) {
                memberOf.add(segment.id());
            }
            // the stored profile lists exactly its memberships: only a different answer changes one
            if (holds != wasListed) {
                record(segment, active.fanOut(), holds, change, at, changes, fanOut);
            }
        }
        for (String id : retired) {
            MembershipState stateOf = membership(MembershipState.key(id, change.customerId()));
            if (stateOf != null && stateOf.member()) {
                Segment gone = new Segment(id, id, io.cxflow.analytics.segment.SegmentCondition.compile("false"), 1);
                record(gone, false, false, change.withProfile(profile), at, changes, fanOut);
            }
        }
        if (profile != null) {
            evaluated.record(segments.size() - skipped);
            if (skipped > 0) {
                unchanged.record(skipped);
            }
        }
        reschedule(change.customerId(), profile == null ? null : next, scheduled);
        memberOf.sort(null);
        CustomerProfile updated = profile == null || profile.getSegments().equals(memberOf)
                ? profile
                : ProfileCanonical.withSegments(profile, memberOf);
        return new SegmentEvaluation(change.withProfile(updated), changes, fanOut);
    }

    private void record(
            Segment segment,
            boolean fanOut,
            boolean holds,
            ProfileChange change,
            Instant at,
            List<SegmentMembershipChanged> changes,
            List<Boolean> fanOuts) {
        String key = MembershipState.key(segment.id(), change.customerId());
        MembershipState stateOf = membership(key);
        boolean wasMember = stateOf != null && stateOf.member();
        if (holds == wasMember) {
            return;
        }
        long version = stateOf == null ? 1 : stateOf.membershipVersion() + 1;
        MembershipState updated = new MembershipState(holds, version, at);
        memberships.put(key, updated);
        knownMemberships.put(key, updated);
        Long size = sizes.get(segment.id());
        long newSize = Math.max(0, (size == null ? 0 : size) + (holds ? 1 : -1));
        if (newSize == 0) {
            sizes.delete(segment.id());
        } else {
            sizes.put(segment.id(), newSize);
        }
        (holds ? entered : exited).record();
        changes.add(membershipChanged(segment, change, holds, version, at));
        fanOuts.add(fanOut);
    }

    /**
     * The membership state of a (segment, customer) key: every evaluation reads one per segment in force,
     * so the states read or written last are kept as objects ({@link #KNOWN_MEMBERSHIPS}, cleared with the
     * processor: this processor is the store's only writer).
     */
    private MembershipState membership(String key) {
        MembershipState known = knownMemberships.get(key);
        if (known != null) {
            return known == ABSENT ? null : known;
        }
        MembershipState stored = memberships.get(key);
        knownMemberships.put(key, stored == null ? ABSENT : stored);
        return stored;
    }

    private boolean holds(Segment segment, ProfileView view, Instant now) {
        try {
            return segment.condition().test(view, now);
        } catch (ConditionEvaluationException e) {
            evaluationErrors.record();
            LOG.debug(
                    "segment {} condition did not evaluate, counted as not holding: {}", segment.id(), e.getMessage());
            return false;
        }
    }

    private Optional<Instant> nextCheck(Segment segment, ProfileView view, Instant now) {
        try {
            return segment.condition().nextPossibleChange(view, now);
        } catch (ConditionEvaluationException e) {
            evaluationErrors.record();
            return Optional.empty();
        }
    }

    // ----- time and backfill

    private void tick(long wallClock) {
        Instant now = now(wallClock);
        List<SegmentCatalog.Active> segments = catalog.current();
        inForce = segments;
        runDue(now, segments);
        backfill(now, segments);
        settled = settled(segments);
    }

    private void runDue(Instant now, List<SegmentCatalog.Active> segments) {
        List<String> due = new ArrayList<>();
        try (KeyValueIterator<String, Long> it =
                schedule.range(DUE_PREFIX, DUE_PREFIX + hex(now.toEpochMilli()) + "\uffff")) {
            while (it.hasNext() && due.size() < DUE_PER_TICK) {
                due.add(it.next().key);
            }
        }
        List<String> retired = retired();
        for (String key : due) {
            String customerId = key.substring(DUE_PREFIX.length() + 16);
            schedule.delete(key);
            schedule.delete(NEXT_PREFIX + customerId);
            knownSchedules.put(customerId, UNSCHEDULED);
            CustomerProfile profile = profiles.get(customerId);
            if (profile == null) {
                continue;
            }
            timeEvaluations.record();
            reevaluate(profile, segments, retired, "time: a condition's answer changed with time", now);
        }
    }

    private void backfill(Instant now, List<SegmentCatalog.Active> segments) {
        String fingerprint = SegmentCatalog.fingerprint(segments);
        String applied = state.get(APPLIED);
        if (fingerprint.equals(applied)) {
            return;
        }
        String cursor = state.get(CURSOR);
        if (cursor == null) {
            // a new backfill: remember what left so its members exit
            Set<String> gone = new LinkedHashSet<>(retired());
            if (applied != null) {
                for (String entry : applied.split(",")) {
                    if (!entry.isEmpty()) {
                        gone.add(entry.substring(0, entry.indexOf('@')));
                    }
                }
            }
            segments.forEach(a -> gone.remove(a.segment().id()));
            state.put(RETIRED, String.join(",", gone));
            retiredCache = null;
            LOG.info("segments changed ({}), re-evaluating this task's profiles in the background", fingerprint);
        }
        List<String> retired = retired();
        int done = 0;
        String last = null;
        try (KeyValueIterator<String, CustomerProfile> it =
                cursor == null ? profiles.all() : profiles.range(cursor + "\u0000", null)) {
            while (it.hasNext() && done < BACKFILL_PER_TICK) {
                KeyValue<String, CustomerProfile> entry = it.next();
                last = entry.key;
                reevaluate(entry.value, segments, retired, "segment definitions changed", now);
                done++;
            }
            if (done < BACKFILL_PER_TICK || !it.hasNext()) {
                state.put(APPLIED, fingerprint);
                state.delete(CURSOR);
                state.delete(RETIRED);
                retiredCache = null;
                LOG.info("segment backfill done for this task");
            } else {
                state.put(CURSOR, last);
            }
        }
        if (done > 0) {
            backfilled.record(done);
        }
    }

    private void reevaluate(
            CustomerProfile profile,
            List<SegmentCatalog.Active> segments,
            List<String> retired,
            String reason,
            Instant now) {
        ProfileChange change = new ProfileChange(profile.getCustomerId(), profile, profile, reason, now, null);
        SegmentEvaluation evaluation = evaluate(change, segments, retired, now, now, false);
        if (evaluation.membershipChanges().isEmpty() && evaluation.change().after() == profile) {
            return;
        }
        context.forward(new Record<>(profile.getCustomerId(), evaluation, now.toEpochMilli()));
    }

    private List<String> retired() {
        if (retiredCache == null) {
            String text = state.get(RETIRED);
            retiredCache = text == null || text.isEmpty() ? List.of() : Arrays.asList(text.split(","));
        }
        return retiredCache;
    }

    /**
     * Whether the answers the stored profile ({@code change.before()}) lists still stand at {@code now}
     * for every condition that reads nothing the change altered: this processor evaluated the stored
     * profile with the segments in force (no backfill due, the same list of segments carried over), at a
     * time not after {@code now} (no evaluation time of this task is after it), and the moment time alone
     * may change an answer ({@code scheduled}, none if never) is still ahead.
     */
    private boolean unchangedAnswersStand(ProfileChange change, Long scheduled, Instant now) {
        CustomerProfile before = change.before();
        CustomerProfile after = change.after();
        return configured.incremental()
                && settled
                && timeInOrder
                && before != null
                && after != null
                && before.getSegments().equals(after.getSegments())
                && (scheduled == null || now.toEpochMilli() < scheduled);
    }

    /** Whether the segments in force were applied to every profile of this task (no backfill due). */
    private boolean settled(List<SegmentCatalog.Active> segments) {
        return SegmentCatalog.fingerprint(segments).equals(state.get(APPLIED))
                && retired().isEmpty();
    }

    /** The time the customer is scheduled for, null when none (read once per customer, then kept). */
    private Long scheduledFor(String customerId) {
        Long known = knownSchedules.get(customerId);
        if (known == null) {
            Long stored = schedule.get(NEXT_PREFIX + customerId);
            knownSchedules.put(customerId, stored == null ? UNSCHEDULED : stored);
            return stored;
        }
        return known == UNSCHEDULED ? null : known;
    }

    private void reschedule(String customerId, Instant next, Long previous) {
        if (previous != null) {
            if (next != null && previous == next.toEpochMilli()) {
                return;
            }
            schedule.delete(DUE_PREFIX + hex(previous) + customerId);
            schedule.delete(NEXT_PREFIX + customerId);
        }
        if (next != null) {
            schedule.put(DUE_PREFIX + hex(next.toEpochMilli()) + customerId, 0L);
            schedule.put(NEXT_PREFIX + customerId, next.toEpochMilli());
        }
        if (previous != null || next != null) {
            knownSchedules.put(customerId, next == null ? UNSCHEDULED : next.toEpochMilli());
        }
    }

    private static String hex(long millis) {
        String text = Long.toHexString(Math.max(0, millis));
        return "0".repeat(16 - text.length()) + text;
    }

    // ----- records

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
