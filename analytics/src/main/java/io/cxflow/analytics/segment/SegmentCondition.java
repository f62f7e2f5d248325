package io.cxflow.analytics.segment;

import dev.cel.common.CelIssue;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import io.cxflow.analytics.profile.ProfileSettings;
import io.cxflow.analytics.segment.internal.ConditionInputs;
import io.cxflow.analytics.segment.internal.InputChanges;
import io.cxflow.analytics.segment.internal.ProfileCelEnvironment;
import io.cxflow.analytics.segment.internal.TimeAnalysis;
import io.cxflow.avro.CustomerProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A segment condition: a CEL expression over {@code profile} (see {@link ProfileView} for its fields)
 * that yields a boolean, e.g. {@code profile.eventCount >= 3 && profile.consent.email}. Compiled and
 * type-checked once by {@link #compile(String)}; evaluated many times, from any thread.
 *
 * <p>Behaviour over time is read with these functions, evaluated at a time {@code now} passed to {@link
 * #test(ProfileView, Instant)} (never the wall clock):
 *
 * <ul>
 *   <li>{@code count(name: string, window: duration) -> int}: events of that name within {@code [now -
 *       window, now]}, e.g. {@code count("Product Added", duration("2h")) > 0};
 *   <li>{@code sum(name: string, property: string, window: duration) -> double}: the sum of a numeric
 *       property of those events (the history sums {@code revenue}, {@code total}, {@code value} and
 *       {@code quantity}), e.g. {@code sum("Order Completed", "revenue", duration("8760h")) >= 500.0};
 *   <li>{@code since(name: string) -> duration}: time since the newest event of that name, 100 years
 *       ({@code 876600h}) if there was none, e.g. {@code since("Order Completed") > duration("720h")};
 *   <li>{@code idle() -> duration}: time since the newest event of any kind ({@code profile.lastSeen});
 *   <li>{@code channels(window: duration) -> int}: distinct channels used within the window.
 * </ul>
 *
 * <p>Counts and sums come from the profile's hourly (48 h), daily (90 days) and 30-day (400 days)
 * buckets: a bucket counts when it starts inside the window, so the events of at most one bucket width
 * at the far edge of the window may be missed, and none outside it is counted; {@code count(name, w) >
 * 0}, {@code since}, {@code idle} and {@code channels} are exact. {@link #nextCheck} tells when time
 * alone can change the answer. To make that time knowable, {@code since()} and {@code idle()} must be
 * compared with a duration (or another {@code since()}/{@code idle()}), which {@link #compile} checks.
 */
public final class SegmentCondition {

    /** Longest condition accepted, in characters. */
    public static final int MAX_LENGTH = 4096;

    /** {@link #nextCheck} evaluates the condition at most this many times per call. */
    public static final int MAX_EVALUATIONS = 1000;

    /** {@link #nextCheck} looks this far ahead of {@code now} per call. */
    public static final Duration HORIZON = Duration.ofDays(400);

    private final String expression;
    private final CelRuntime.Program program;
    private final TimeAnalysis time;
    private final ConditionInputs inputs;
    /** The condition evaluated without CEL's interpreter, or null when it uses more than that subset. */
    private final DirectEvaluation direct;

    private SegmentCondition(
            String expression,
            CelRuntime.Program program,
            TimeAnalysis time,
            ConditionInputs inputs,
            DirectEvaluation direct) {
        this.expression = expression;
        this.program = program;
        this.time = time;
        this.inputs = inputs;
        this.direct = direct;
    }

    /**
     * Parses and type-checks a condition, with the history's default sums ({@link
     * ProfileSettings#DEFAULT_HISTORY_SUMS}).
     *
     * @throws InvalidConditionException with the position and a description of the first problem
     */
    public static SegmentCondition compile(String expression) {
        return compile(expression, ProfileSettings.DEFAULT_HISTORY_SUMS);
    }

    /**
     * Parses and type-checks a condition.
     *
     * @param summedProperties the numeric properties the rolling history sums ({@link
     *     ProfileSettings#historySums()}): a constant {@code sum()} property outside them is refused
     * @throws InvalidConditionException with the position and a description of the first problem
     */
    public static SegmentCondition compile(String expression, Collection<String> summedProperties) {
        Objects.requireNonNull(expression, "expression");
        Objects.requireNonNull(summedProperties, "summedProperties");
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
            TimeAnalysis time =
                    TimeAnalysis.of(ProfileCelEnvironment.cel(), result.getAst(), Set.copyOf(summedProperties));
            if (!time.problems().isEmpty()) {
                List<InvalidConditionException.Problem> problems = new ArrayList<>();
                StringBuilder display = new StringBuilder();
                for (TimeAnalysis.Problem problem : time.problems()) {
                    problems.add(
                            new InvalidConditionException.Problem(problem.line(), problem.column(), problem.message()));
                    display.append(display.isEmpty() ? "" : "\n").append(display(expression, problem));
                }
                throw new InvalidConditionException(expression, problems, display.toString());
            }
            return new SegmentCondition(
                    expression,
                    ProfileCelEnvironment.cel().createProgram(result.getAst()),
                    time,
                    ConditionInputs.of(result.getAst(), ProfileCelEnvironment.PROFILE_VARIABLE),
                    DirectEvaluation.of(result.getAst(), ProfileCelEnvironment.PROFILE_VARIABLE));
        } catch (CelValidationException | CelEvaluationException e) {
            throw new InvalidConditionException(
                    expression, List.of(new InvalidConditionException.Problem(1, 1, e.getMessage())), "");
        }
    }

    /** The problem the way CEL shows its own: the line, and a caret under the column. */
    private static String display(String expression, TimeAnalysis.Problem problem) {
        String[] lines = expression.split("\n", -1);
        String line = problem.line() <= lines.length ? lines[problem.line() - 1] : "";
        return "ERROR: <input>:" + problem.line() + ":" + problem.column() + ": " + problem.message() + "\n | " + line
                + "\n | " + ".".repeat(Math.max(0, problem.column() - 1)) + "^";
    }

    /** The condition as written. */
    public String expression() {
        return expression;
    }

    /**
     * Whether the condition calls a behaviour function ({@code count}, {@code sum}, {@code since}, {@code
     * idle}, {@code channels}), so that its answer can change with time alone. Decided at compile time.
     */
    public boolean dependsOnTime() {
        return time.usesTime();
    }

    /** What the condition reads of a profile, found at compile time. */
    public ConditionInputs inputs() {
        return inputs;
    }

    /**
     * Whether anything the condition reads differs between the two profiles {@code changes} compares.
     * When nothing does, the condition's answer for the newer profile at a time {@code t} is its answer
     * for the older one at {@code t}.
     */
    public boolean readsChanged(InputChanges changes) {
        return inputs.changedIn(changes);
    }

    /**
     * Evaluates the condition for a profile at the evaluation time {@code now}.
     *
     * @throws ConditionEvaluationException when the condition cannot be evaluated for this profile, e.g.
     *     it reads a trait the profile does not have without guarding it with {@code has()}
     */
    public boolean test(CustomerProfile profile, Instant now) {
        return test(ProfileView.of(profile), now);
    }

    /**
     * Evaluates the condition for a profile view at the evaluation time {@code now}; evaluate every
     * condition of one profile against the same view.
     *
     * @throws ConditionEvaluationException when the condition cannot be evaluated for this profile
     */
    public boolean test(ProfileView view, Instant now) {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(now, "now");
        return direct != null ? direct.test(view, now) : interpreted(view, now);
    }

    /** Whether the condition is evaluated without CEL's interpreter (its shape is in {@link DirectEvaluation}'s subset). */
    boolean isDirect() {
        return direct != null;
    }

    /** The condition evaluated by CEL's interpreter, whatever its shape. */
    boolean interpreted(ProfileView view, Instant now) {
        try {
            return bool(
                    time.usesTime()
                            ? program.eval(view.variables(), view.functions(now))
                            : program.eval(view.variables()));
        } catch (CelEvaluationException e) {
            throw new ConditionEvaluationException(e.getMessage(), e);
        }
    }

    private static boolean bool(Object result) {
        if (result instanceof Boolean holds) {
            return holds;
        }
        throw new ConditionEvaluationException("the condition did not yield a boolean", null);
    }

    /**
     * Evaluates the condition for a profile at its own {@code lastSeen}; prefer {@link
     * #test(CustomerProfile, Instant)}, which says when.
     *
     * @throws ConditionEvaluationException when the condition cannot be evaluated for this profile
     */
    public boolean test(CustomerProfile profile) {
        return test(ProfileView.of(profile), profile.getLastSeen());
    }

    /**
     * Evaluates the condition for a profile view built by {@link ProfileView#of}, at the profile's own
     * {@code lastSeen}; prefer {@link #test(ProfileView, Instant)}, which says when.
     *
     * @throws ConditionEvaluationException when the condition cannot be evaluated for this profile, or
     *     the map is not a {@link ProfileView} and the condition calls a behaviour function
     */
    public boolean test(Map<String, Object> profileView) {
        if (profileView instanceof ProfileView view) {
            return test(view, view.profile().getLastSeen());
        }
        if (time.usesTime()) {
            throw new ConditionEvaluationException(
                    "the condition reads behaviour over time: evaluate it against a ProfileView at a time", null);
        }
        try {
            return bool(program.eval(Map.of(ProfileCelEnvironment.PROFILE_VARIABLE, profileView)));
        } catch (CelEvaluationException e) {
            throw new ConditionEvaluationException(e.getMessage(), e);
        }
    }

    /** {@link #nextCheck(ProfileView, Instant)} of a profile. */
    public Optional<Instant> nextCheck(CustomerProfile profile, Instant now) {
        return nextCheck(ProfileView.of(profile), now);
    }

    /**
     * The next moment after {@code now} at which the answer for this profile can change with no new
     * event: the earliest time at which the condition's value differs from its value at {@code now}, or
     * empty when time alone never changes it (always empty when the condition calls no behaviour
     * function). A condition that cannot be evaluated counts as not holding.
     *
     * <p>The condition is evaluated at the times its functions' answers change (bucket starts and ends,
     * the newest events, {@code lastSeen} and channel uses, each plus the windows and durations the
     * condition compares with), in order, at most {@link #MAX_EVALUATIONS} times and {@link #HORIZON}
     * ahead; when a limit stops the search, the answer is the first time not yet evaluated (no change
     * can happen before it), so a caller that checks again then continues the search.
     */
    public Optional<Instant> nextCheck(ProfileView view, Instant now) {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(now, "now");
        if (!time.usesTime()) {
            return Optional.empty();
        }
        boolean current = holds(view, now);
        Instant horizon = now.plus(HORIZON);
        int evaluations = 0;
        for (Instant candidate : time.candidates(view.history(), view.fields(), now)) {
            if (evaluations == MAX_EVALUATIONS || candidate.isAfter(horizon)) {
                return Optional.of(candidate);
            }
            evaluations++;
            if (holds(view, candidate) != current) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * The earliest moment after {@code now} at which time alone <em>may</em> change the answer for this
     * profile, found without evaluating the condition: every moment {@link #nextCheck} can return is at or
     * after it. Cheap enough to compute on every profile change; a caller re-evaluates then and asks
     * again. Empty when time alone never changes the answer.
     */
    public Optional<Instant> nextPossibleChange(ProfileView view, Instant now) {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(now, "now");
        if (!time.usesTime()) {
            return Optional.empty();
        }
        Optional<Instant> first = time.firstCandidate(view.history(), view.fields(), now);
        return first.isPresent() && first.get().isAfter(now.plus(HORIZON)) ? Optional.of(now.plus(HORIZON)) : first;
    }

    private boolean holds(ProfileView view, Instant now) {
        try {
            return test(view, now);
        } catch (ConditionEvaluationException e) {
            return false;
        }
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
