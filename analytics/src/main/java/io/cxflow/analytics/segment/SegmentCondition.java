package io.cxflow.analytics.segment;

import dev.cel.common.CelIssue;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import io.cxflow.analytics.segment.internal.ProfileCelEnvironment;
import io.cxflow.avro.CustomerProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A segment condition: a CEL expression over {@code profile} (see {@link ProfileView} for its fields)
 * that yields a boolean, e.g. {@code profile.eventCount >= 3 && profile.consent.email}. Compiled and
 * type-checked once by {@link #compile(String)}; evaluated many times, from any thread.
 */
public final class SegmentCondition {

    /** Longest condition accepted, in characters. */
    public static final int MAX_LENGTH = 4096;

    private final String expression;
    private final CelRuntime.Program program;

    private SegmentCondition(String expression, CelRuntime.Program program) {
        this.expression = expression;
        this.program = program;
    }

    /**
     * Parses and type-checks a condition.
     *
     * @throws InvalidConditionException with the position and a description of the first problem
     */
    public static SegmentCondition compile(String expression) {
        Objects.requireNonNull(expression, "expression");
        if (expression.isBlank()) {
            throw new InvalidConditionException(
                    expression, List.of(new InvalidConditionException.Problem(1, 1, "the condition is empty")), "");
        }
        if (expression.length() > MAX_LENGTH) {
            throw new InvalidConditionException(
                    expression,
                    List.of(new InvalidConditionException.Problem(
                            1, MAX_LENGTH + 1, "the condition is longer than " + MAX_LENGTH + " characters")),
                    "");
        }
        CelValidationResult result = ProfileCelEnvironment.cel().compile(expression);
        if (result.hasError()) {
            List<InvalidConditionException.Problem> problems = new ArrayList<>();
            for (CelIssue issue : result.getErrors()) {
                CelSourceLocation location = issue.getSourceLocation();
                int line = Math.max(1, location.getLine());
                int column = Math.max(0, location.getColumn()) + 1;
                problems.add(new InvalidConditionException.Problem(line, column, issue.getMessage()));
            }
            throw new InvalidConditionException(expression, problems, result.getErrorString());
        }
        try {
            return new SegmentCondition(expression, ProfileCelEnvironment.cel().createProgram(result.getAst()));
        } catch (CelValidationException | CelEvaluationException e) {
            throw new InvalidConditionException(
                    expression, List.of(new InvalidConditionException.Problem(1, 1, e.getMessage())), "");
        }
    }

    /** The condition as written. */
    public String expression() {
        return expression;
    }

    /**
     * Evaluates the condition for a profile.
     *
     * @throws ConditionEvaluationException when the condition cannot be evaluated for this profile, e.g.
     *     it reads a trait the profile does not have without guarding it with {@code has()}
     */
    public boolean test(CustomerProfile profile) {
        return test(ProfileView.of(profile));
    }

    /** Evaluates the condition for a profile view built by {@link ProfileView#of}. */
    public boolean test(Map<String, Object> profileView) {
        Object result;
        try {
            result = program.eval(Map.of(ProfileCelEnvironment.PROFILE_VARIABLE, profileView));
        } catch (CelEvaluationException e) {
            throw new ConditionEvaluationException(e.getMessage(), e);
        }
        if (result instanceof Boolean holds) {
            return holds;
        }
        throw new ConditionEvaluationException("the condition did not yield a boolean", null);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SegmentCondition that && expression.equals(that.expression);
    }

    @Override
    public int hashCode() {
        return expression.hashCode();
    }

    @Override
    public String toString() {
        return expression;
    }
}
