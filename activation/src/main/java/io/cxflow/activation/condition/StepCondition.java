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
import io.cxflow.avro.SegmentMembershipChanged;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The condition of an {@code if} step: a CEL expression over {@code profile}, the customer snapshot
 * activation holds (the newest membership change of the customer):
 *
 * <pre>
 * profile.customerId, profile.identities.&lt;type&gt; (list), profile.consent.&lt;channel&gt; (bool),
 * profile.email, profile.phone, profile.timezone (strings; "" when unknown),
 * profile.segment.id, profile.segment.change ("ENTERED" | "EXITED"), profile.segment.reason
 * </pre>
 *
 * {@code profile} is a map, so a missing key (an identity type the customer has none of, a channel
 * without recorded consent) is tested with {@code has(profile.consent.sms)} or {@code "sms" in
 * profile.consent}; an evaluation that still fails, or does not yield a boolean, counts as false,
 * never as a crash. Compiled once per expression; thread-safe.
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
     * Evaluates {@code expression} for the customer of {@code change}; false when it cannot be
     * evaluated.
     */
    public static boolean test(String expression, SegmentMembershipChanged change) {
        try {
            Object result = program(expression).eval(Map.of(PROFILE, profile(change)));
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
    static Map<String, Object> profile(SegmentMembershipChanged change) {
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("customerId", change.getCustomerId());
        Map<String, Object> identities = new TreeMap<>();
        change.getIdentities().forEach((type, values) -> identities.put(type, List.copyOf(values)));
        profile.put("identities", identities);
        profile.put("consent", new TreeMap<>(change.getConsent()));
        profile.put("email", change.getEmail() == null ? "" : change.getEmail());
        profile.put("phone", change.getPhone() == null ? "" : change.getPhone());
        profile.put("timezone", change.getTimezone() == null ? "" : change.getTimezone());
        Map<String, Object> segment = new LinkedHashMap<>();
        segment.put("id", change.getSegmentId());
        segment.put("change", change.getChange().name());
        segment.put("reason", change.getReason());
        profile.put("segment", segment);
        return profile;
    }
}
