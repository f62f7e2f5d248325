package io.cxflow.activation.condition;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import io.cxflow.activation.decision.Decision;
import io.cxflow.activation.decision.EventTrigger;
import io.cxflow.activation.profile.LatestProfile;
import io.cxflow.avro.SegmentMembershipChanged;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The condition of an {@code if} step: a CEL expression over {@code profile}, what activation knows of
 * the customer when the step runs — the snapshot of the trigger, and the latest profile read from
 * analytics at send time when one was read ({@link Decision#profile()}):
 *
 * <pre>
 * profile.customerId, profile.identities.&lt;type&gt; (list), profile.consent.&lt;channel&gt; (bool),
 * profile.email, profile.phone, profile.timezone (strings; "" when unknown),
 * profile.segment.id, profile.segment.change ("ENTERED" | "EXITED"), profile.segment.reason (segment triggers)
 * profile.event.name, profile.event.reason, profile.event.properties.&lt;name&gt; (any JSON value; event triggers)
 * with the latest profile: profile.traits.&lt;name&gt; (any JSON value), profile.events.&lt;name&gt; (count),
 * profile.orders.count, profile.orders.revenue.&lt;currency&gt; (double), profile.segments (list),
 * profile.eventCount, profile.locale ("" when unknown)
 * </pre>
 *
 * The latest profile's identities, consent (per channel, over the snapshot's) and time zone replace the
 * snapshot's. {@code profile} is a map, so a missing key (an identity type the customer has none of, a
 * channel without recorded consent, a trait never set, the latest-profile keys when none was read) is
 * tested with {@code has(profile.traits.tier)} or {@code "sms" in profile.consent}; an evaluation that
 * still fails, or does not yield a boolean, counts as false, never as a crash. Compiled once per
 * expression; thread-safe.
 */
public final class StepCondition {

    /** The variable conditions are written over. */
    public static final String PROFILE = "profile";

    public static final int MAX_LENGTH = 2000;

    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setOptions(CelOptions.current()
                    .enableHeterogeneousNumericComparisons(true)
                    .build())
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar(PROFILE, MapType.create(SimpleType.STRING, SimpleType.DYN))
            .setResultType(SimpleType.BOOL)
            .build();

    private static final Map<String, CelRuntime.Program> PROGRAMS = new ConcurrentHashMap<>();

    private StepCondition() {}

    /**
     * Compiles {@code expression}.
     *
     * @return the problem, or {@code null} when it compiles to a boolean expression
     */
    public static String check(String expression) {
        if (expression.length() > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters";
        }
        try {
            program(expression);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /**
     * Evaluates {@code expression} for the customer of {@code change} (its snapshot only); false when it
     * cannot be evaluated.
     */
    public static boolean test(String expression, SegmentMembershipChanged change) {
        return eval(expression, profile(change, null));
    }

    /**
     * Evaluates {@code expression} for the customer of {@code decision}: its trigger's snapshot and, when
     * read, its latest profile; false when it cannot be evaluated.
     */
    public static boolean test(String expression, Decision decision) {
        return eval(expression, profile(decision.change(), decision.profile()));
    }

    private static boolean eval(String expression, Map<String, Object> profile) {
        try {
            Object result = program(expression).eval(Map.of(PROFILE, profile));
            return Boolean.TRUE.equals(result);
        } catch (CelEvaluationException | IllegalArgumentException e) {
            return false;
        }
    }

    private static CelRuntime.Program program(String expression) {
        CelRuntime.Program program = PROGRAMS.get(expression);
        if (program != null) {
            return program;
        }
        try {
            CelValidationResult result = CEL.compile(expression);
            if (result.hasError()) {
                throw new IllegalArgumentException("is not a valid condition: " + result.getErrorString());
            }
            CelAbstractSyntaxTree ast = result.getAst();
            program = CEL.createProgram(ast);
        } catch (CelValidationException | CelEvaluationException e) {
            throw new IllegalArgumentException("is not a valid condition: " + e.getMessage(), e);
        }
        if (PROGRAMS.size() < 4096) {
            PROGRAMS.put(expression, program);
        }
        return program;
    }

    /** The {@code profile} a condition sees. */
    static Map<String, Object> profile(SegmentMembershipChanged change, LatestProfile latest) {
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("customerId", change.getCustomerId());
        Map<String, Object> identities = new TreeMap<>();
        if (latest != null && !latest.identities().isEmpty()) {
            latest.identities().forEach((type, values) -> identities.put(type, List.copyOf(values)));
        } else {
            change.getIdentities().forEach((type, values) -> identities.put(type, List.copyOf(values)));
        }
        profile.put("identities", identities);
        Map<String, Object> consent = new TreeMap<>(change.getConsent());
        if (latest != null) {
            consent.putAll(latest.consent());
        }
        profile.put("consent", consent);
        profile.put("email", change.getEmail() == null ? "" : change.getEmail());
        profile.put("phone", change.getPhone() == null ? "" : change.getPhone());
        String timezone = latest != null && latest.timezone() != null ? latest.timezone() : change.getTimezone();
        profile.put("timezone", timezone == null ? "" : timezone);
        if (EventTrigger.isEvent(change)) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("name", EventTrigger.eventName(change));
            event.put("reason", change.getReason());
            event.put("properties", EventTrigger.properties(change));
            profile.put("event", event);
        } else {
            Map<String, Object> segment = new LinkedHashMap<>();
            segment.put("id", change.getSegmentId());
            segment.put("change", change.getChange().name());
            segment.put("reason", change.getReason());
            profile.put("segment", segment);
        }
        if (latest != null) {
            profile.put("traits", latest.plainTraits());
            profile.put("events", new TreeMap<>(latest.events()));
            Map<String, Object> orders = new LinkedHashMap<>();
            orders.put("count", latest.ordersCount());
            Map<String, Object> revenue = new TreeMap<>();
            latest.revenue().forEach((currency, amount) -> revenue.put(currency, amount.doubleValue()));
            orders.put("revenue", revenue);
            profile.put("orders", orders);
            profile.put("segments", List.copyOf(latest.segments()));
            profile.put("eventCount", latest.eventCount());
            profile.put("locale", latest.locale() == null ? "" : latest.locale());
        }
        return profile;
    }
}
