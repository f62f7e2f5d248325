package io.cxflow.analytics.segment.internal;

import dev.cel.bundle.Cel;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * How a compiled condition depends on time, found once from its checked syntax tree: whether it calls
 * a behaviour function at all, and from which parts of a profile the times at which its answer can
 * change follow. Those times are:
 *
 * <ul>
 *   <li>{@code count(name, w)}, {@code sum(name, p, w)}: each bucket start of that name, and each bucket
 *       start and the newest such event plus {@code w} (the moment it leaves the window);
 *   <li>{@code channels(w)}: each channel's first use, and its last use plus {@code w};
 *   <li>{@code since(name)}, {@code idle()}: the newest such event (or {@code lastSeen}), and that
 *       instant plus the duration the function is compared with.
 * </ul>
 *
 * <p>So that these times are complete, the analysis refuses what it could not follow: {@code since()}
 * and {@code idle()} must be compared ({@code < <= > >= == !=}) with a value that does not depend on time
 * (possibly after adding or subtracting such values, e.g. {@code profile.lastSeen + idle()}), or with
 * another {@code since()}/{@code idle()}; windows and compared values must be written in the condition
 * or read from {@code profile}; no argument of a behaviour function may depend on time. A constant
 * {@code sum} property must be one the history keeps, and constant {@code duration()} and {@code
 * timestamp()} literals must parse.
 */
public final class TimeAnalysis {

    /** One refused construct, at a 1-based line and column. */
    public record Problem(int line, int column, String message) {}

    private static final Set<String> COMPARISONS = Set.of("_<_", "_<=_", "_>_", "_>=_", "_==_", "_!=_");
    private static final String ADD = "_+_";
    private static final String SUBTRACT = "_-_";

    /** A value computed without time: a constant, or a function of the profile. */
    private record Source(Object constant, CelRuntime.Program program, boolean overElapsed) {
        Object value(Map<String, Object> profile) throws CelEvaluationException {
            if (program == null) {
                return constant;
            }
            Map<String, Object> variables = Map.of(ProfileCelEnvironment.PROFILE_VARIABLE, profile);
            return overElapsed ? program.eval(variables, BehaviourFunctions.noTimeElapsed()) : program.eval(variables);
        }
    }

    /** {@code count}/{@code sum} of one name ({@code null}: not a constant), or {@code channels}. */
    private record Window(boolean channels, String name, Source window) {}

    /** {@code idle()}, or {@code since(name)} ({@code name null}: not a constant). */
    private record Elapsed(boolean idle, String name) {}

    /**
     * {@code elapsed} (plus the time-independent {@code elapsedSide} around it, {@code null} when it
     * stands alone) compared with {@code other}, which does not depend on time.
     */
    private record Threshold(Elapsed elapsed, Source elapsedSide, Source other) {}

    private static final TimeAnalysis NONE = new TimeAnalysis(false, List.of(), Set.of(), List.of(), List.of());

    private final boolean usesTime;
    private final List<Window> windows;
    private final Set<Elapsed> elapsed;
    private final List<Threshold> thresholds;
    private final List<Problem> problems;

    private TimeAnalysis(
            boolean usesTime,
            List<Window> windows,
            Set<Elapsed> elapsed,
            List<Threshold> thresholds,
            List<Problem> problems) {
        this.usesTime = usesTime;
        this.windows = List.copyOf(windows);
        this.elapsed = Set.copyOf(elapsed);
        this.thresholds = List.copyOf(thresholds);
        this.problems = List.copyOf(problems);
    }

    /**
     * Analyses a checked condition.
     *
     * @param summedProperties the numeric properties the rolling history sums (for {@code sum})
     */
    public static TimeAnalysis of(Cel cel, CelAbstractSyntaxTree ast, Set<String> summedProperties) {
        Analyzer analyzer = new Analyzer(cel, ast, summedProperties);
        analyzer.run();
        if (!analyzer.usesTime && analyzer.problems.isEmpty()) {
            return NONE;
        }
        return new TimeAnalysis(
                analyzer.usesTime, analyzer.windows, analyzer.elapsed, analyzer.thresholds, analyzer.problems);
    }

    /** Whether the condition calls a behaviour function, so its answer can change with time alone. */
    public boolean usesTime() {
        return usesTime;
    }

    /** What the condition uses that cannot be accepted, first in the text first; empty when it is fine. */
    public List<Problem> problems() {
        return problems;
    }

    /**
     * The times strictly after {@code now} at which the condition's answer for this profile can change
     * with no new event, earliest first. Every time at which it does change is among them (not every
     * one of them is a change).
     *
     * @param profile the {@code profile} variable of the same profile
     */
    public NavigableSet<Instant> candidates(ProfileHistory history, Map<String, Object> profile, Instant now) {
        TreeSet<Instant> out = new TreeSet<>();
        if (usesTime) {
            collect(history, profile, at -> {
                if (at.isAfter(now)) {
                    out.add(at);
                }
            });
        }
        return out;
    }

    /**
     * The first of {@link #candidates}: the earliest time strictly after {@code now} at which the answer
     * can change with no new event (empty: never). Nothing is evaluated but the condition's window and
     * threshold operands.
     */
    public Optional<Instant> firstCandidate(ProfileHistory history, Map<String, Object> profile, Instant now) {
        if (!usesTime) {
            return Optional.empty();
        }
        Instant[] first = {null};
        collect(history, profile, at -> {
            if (at.isAfter(now) && (first[0] == null || at.isBefore(first[0]))) {
                first[0] = at;
            }
        });
        return Optional.ofNullable(first[0]);
    }

    private void collect(ProfileHistory history, Map<String, Object> profile, Consumer<Instant> add) {
        for (Window window : windows) {
            Duration width = duration(window.window(), profile);
            if (width == null) {
                continue;
            }
            if (window.channels()) {
                history.channelChanges(width, add);
            } else {
                history.windowChanges(window.name(), width, add);
            }
        }
        for (Elapsed function : elapsed) {
            origins(history, function, add);
        }
        for (Threshold threshold : thresholds) {
            Duration offset = offset(threshold, profile);
            if (offset == null) {
                continue;
            }
            origins(history, threshold.elapsed(), origin -> {
                try {
                    Instant reached = origin.plus(offset);
                    add.accept(reached);
                    add.accept(reached.plus(ProfileHistory.TICK));
                } catch (DateTimeException | ArithmeticException beyondTime) {
                    // a threshold no instant reaches
                }
            });
        }
    }

    private static void origins(ProfileHistory history, Elapsed function, Consumer<Instant> out) {
        if (function.idle()) {
            out.accept(history.lastSeen());
        } else {
            history.sinceOrigins(function.name(), out);
        }
    }

    private static Duration duration(Source source, Map<String, Object> profile) {
        try {
            return source.value(profile) instanceof Duration duration ? duration : null;
        } catch (CelEvaluationException e) {
            return null; // the condition fails for this profile as well
        }
    }

    /** How much time must elapse for the elapsed side to equal the other side. */
    private static Duration offset(Threshold threshold, Map<String, Object> profile) {
        try {
            Object other = threshold.other().value(profile);
            Object base = threshold.elapsedSide() == null
                    ? Duration.ZERO
                    : threshold.elapsedSide().value(profile);
            if (other instanceof Duration target && base instanceof Duration start) {
                return target.minus(start);
            }
            if (other instanceof Instant target && base instanceof Instant start) {
                return Duration.between(start, target);
            }
            return null;
        } catch (CelEvaluationException | ArithmeticException e) {
            return null;
        }
    }

    private static final class Analyzer {
        private final Cel cel;
        private final CelAbstractSyntaxTree ast;
        private final Set<String> summedProperties;
        private boolean usesTime;
        private final List<Window> windows = new ArrayList<>();
        private final Set<Elapsed> elapsed = new LinkedHashSet<>();
        private final List<Threshold> thresholds = new ArrayList<>();
        private final List<Problem> problems = new ArrayList<>();

        Analyzer(Cel cel, CelAbstractSyntaxTree ast, Set<String> summedProperties) {
            this.cel = cel;
            this.ast = ast;
            this.summedProperties = Set.copyOf(summedProperties);
        }

        void run() {
            List<CelNavigableExpr> calls = CelNavigableAst.fromAst(ast)
                    .getRoot()
                    .allNodes()
                    .filter(node -> node.expr().getKind() == CelExpr.ExprKind.Kind.CALL
                            && node.expr().call().target().isEmpty())
                    .toList();
            for (CelNavigableExpr node : calls) {
                String function = node.expr().call().function();
                if (function.equals("duration") || function.equals("timestamp")) {
                    literal(node.expr(), function);
                }
                usesTime |= BehaviourFunctions.NAMES.contains(function);
            }
            if (!problems.isEmpty()) {
                return; // a literal that does not parse: nothing else can be evaluated
            }
            for (CelNavigableExpr node : calls) {
                String function = node.expr().call().function();
                if (BehaviourFunctions.NAMES.contains(function)) {
                    behaviour(node, function);
                }
            }
            problems.sort((a, b) -> a.line() != b.line()
                    ? Integer.compare(a.line(), b.line())
                    : Integer.compare(a.column(), b.column()));
        }

        /** A {@code duration("…")} or {@code timestamp("…")} literal must parse. */
        private void literal(CelExpr call, String function) {
            List<CelExpr> args = call.call().args();
            if (args.size() != 1 || args.getFirst().getKind() != CelExpr.ExprKind.Kind.CONSTANT) {
                return;
            }
            try {
                program(call).eval();
            } catch (CelEvaluationException e) {
                problem(call, "invalid " + function + " " + quote(args.getFirst()) + ": " + rootMessage(e));
            }
        }

        private void behaviour(CelNavigableExpr node, String function) {
            List<CelExpr> args = node.expr().call().args();
            for (CelExpr arg : args) {
                if (containsTime(arg)) {
                    problem(arg, "the arguments of " + function + "() must not depend on time");
                    return;
                }
            }
            switch (function) {
                case BehaviourFunctions.COUNT -> window(false, constantString(args.get(0)), args.get(1), function);
                case BehaviourFunctions.SUM -> {
                    String property = constantString(args.get(1));
                    if (property != null && !summedProperties.contains(property)) {
                        problem(
                                args.get(1),
                                "sum(): the history keeps no sums of '" + property + "' (it sums "
                                        + String.join(", ", new TreeSet<>(summedProperties)) + ")");
                        return;
                    }
                    window(false, constantString(args.get(0)), args.get(2), function);
                }
                case BehaviourFunctions.CHANNELS -> window(true, null, args.get(0), function);
                case BehaviourFunctions.SINCE -> elapsed(node, new Elapsed(false, constantString(args.get(0))));
                case BehaviourFunctions.IDLE -> elapsed(node, new Elapsed(true, null));
                default -> throw new IllegalStateException("not a behaviour function: " + function);
            }
        }

        private void window(boolean channels, String name, CelExpr window, String function) {
            Source source = source(window, "the window of " + function + "()", false);
            if (source != null) {
                windows.add(new Window(channels, name, source));
            }
        }

        /** Follows an elapsed-time function up to the comparison it must be part of. */
        private void elapsed(CelNavigableExpr call, Elapsed function) {
            elapsed.add(function);
            String name = call.expr().call().function();
            CelNavigableExpr side = call;
            while (true) {
                Optional<CelNavigableExpr> parent = side.parent();
                if (parent.isEmpty()
                        || parent.get().expr().getKind() != CelExpr.ExprKind.Kind.CALL
                        || parent.get().expr().call().target().isPresent()) {
                    notCompared(call, name);
                    return;
                }
                CelExpr operation = parent.get().expr();
                String operator = operation.call().function();
                List<CelExpr> operands = operation.call().args();
                int index = operands.get(0).id() == side.expr().id() ? 0 : 1;
                CelExpr other = operands.size() == 2 ? operands.get(1 - index) : null;
                if (other != null && (operator.equals(ADD) || (operator.equals(SUBTRACT) && index == 0))) {
                    if (containsTime(other)) {
                        problem(
                                operation,
                                "adds or subtracts two values that depend on time; compare them instead, e.g."
                                        + " since(\"Order Completed\") > since(\"Product Added\")");
                        return;
                    }
                    side = parent.get();
                } else if (other != null && operator.equals(SUBTRACT)) {
                    problem(
                            operation,
                            "subtracts " + name + "() from a value; compare " + name
                                    + "() itself instead, e.g. idle() > duration(\"720h\")");
                    return;
                } else if (other != null && COMPARISONS.contains(operator)) {
                    compared(call, function, side, other);
                    return;
                } else {
                    notCompared(call, name);
                    return;
                }
            }
        }

        private void compared(CelNavigableExpr call, Elapsed function, CelNavigableExpr side, CelExpr other) {
            String name = call.expr().call().function();
            if (containsElapsed(other)) {
                return; // two elapsed times grow together: their difference changes only at their origins
            }
            if (containsTime(other)) {
                problem(other, "compare " + name + "() with a duration that does not depend on time");
                return;
            }
            Source elapsedSide = null;
            if (side.expr().id() != call.expr().id()) {
                elapsedSide = source(side.expr(), "the value added to " + name + "()", true);
                if (elapsedSide == null) {
                    return;
                }
            }
            Source compared = source(other, "the value " + name + "() is compared with", false);
            if (compared != null) {
                thresholds.add(new Threshold(function, elapsedSide, compared));
            }
        }

        private void notCompared(CelNavigableExpr call, String name) {
            String example = name.equals(BehaviourFunctions.IDLE)
                    ? "idle() > duration(\"720h\")"
                    : "since(\"Order Completed\") > duration(\"720h\")";
            problem(
                    call.expr(),
                    name + "() must be compared with a duration, e.g. " + example
                            + ", so that the time its answer changes is known");
        }

        /** A time-independent value: a constant evaluated now, or a program over {@code profile}. */
        private Source source(CelExpr expr, String what, boolean overElapsed) {
            Set<String> free = freeVariables(expr);
            boolean readsProfile = free.remove(ProfileCelEnvironment.PROFILE_VARIABLE);
            if (!free.isEmpty()) {
                problem(
                        expr,
                        what + " must be written in the condition or read from profile, not from '"
                                + free.iterator().next() + "'");
                return null;
            }
            try {
                CelRuntime.Program program = program(expr);
                if (readsProfile) {
                    return new Source(null, program, overElapsed);
                }
                Object constant =
                        overElapsed ? program.eval(Map.of(), BehaviourFunctions.noTimeElapsed()) : program.eval();
                return new Source(constant, null, false);
            } catch (CelEvaluationException e) {
                problem(expr, what + " cannot be evaluated: " + rootMessage(e));
                return null;
            }
        }

        private CelRuntime.Program program(CelExpr expr) throws CelEvaluationException {
            return cel.createProgram(CelAbstractSyntaxTree.newCheckedAst(
                    expr, ast.getSource(), ast.getReferenceMap(), ast.getTypeMap()));
        }

        private void problem(CelExpr expr, String message) {
            int line = 1;
            int column = 1;
            Integer offset = ast.getSource().getPositionsMap().get(expr.id());
            if (offset != null) {
                Optional<CelSourceLocation> location = ast.getSource().getOffsetLocation(offset);
                if (location.isPresent()) {
                    line = Math.max(1, location.get().getLine());
                    column = Math.max(0, location.get().getColumn()) + 1;
                }
            }
            problems.add(new Problem(line, column, message));
        }
    }

    private static String constantString(CelExpr expr) {
        return expr.getKind() == CelExpr.ExprKind.Kind.CONSTANT
                        && expr.constant().getKind() == dev.cel.common.ast.CelConstant.Kind.STRING_VALUE
                ? expr.constant().stringValue()
                : null;
    }

    private static String quote(CelExpr constant) {
        String text = constantString(constant);
        return text == null ? "" : "\"" + text + "\"";
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? e.getMessage() : root.getMessage();
    }

    private static boolean containsTime(CelExpr expr) {
        return containsCall(expr, BehaviourFunctions.NAMES);
    }

    private static boolean containsElapsed(CelExpr expr) {
        return containsCall(expr, BehaviourFunctions.ELAPSED);
    }

    private static boolean containsCall(CelExpr expr, Set<String> functions) {
        return CelNavigableExpr.fromExpr(expr)
                .allNodes()
                .anyMatch(node -> node.expr().getKind() == CelExpr.ExprKind.Kind.CALL
                        && node.expr().call().target().isEmpty()
                        && functions.contains(node.expr().call().function()));
    }

    /** The identifiers an expression reads that no comprehension inside it binds. */
    private static Set<String> freeVariables(CelExpr expr) {
        Set<String> free = new HashSet<>();
        collectFree(expr, Set.of(), free);
        return free;
    }

    private static void collectFree(CelExpr expr, Set<String> bound, Set<String> free) {
        switch (expr.getKind()) {
            case IDENT -> {
                if (!bound.contains(expr.ident().name())) {
                    free.add(expr.ident().name());
                }
            }
            case SELECT -> collectFree(expr.select().operand(), bound, free);
            case CALL -> {
                expr.call().target().ifPresent(target -> collectFree(target, bound, free));
                expr.call().args().forEach(arg -> collectFree(arg, bound, free));
            }
            case LIST -> expr.list().elements().forEach(element -> collectFree(element, bound, free));
            case STRUCT -> expr.struct().entries().forEach(entry -> collectFree(entry.value(), bound, free));
            case MAP ->
                expr.map().entries().forEach(entry -> {
                    collectFree(entry.key(), bound, free);
                    collectFree(entry.value(), bound, free);
                });
            case COMPREHENSION -> {
                CelExpr.CelComprehension loop = expr.comprehension();
                collectFree(loop.iterRange(), bound, free);
                collectFree(loop.accuInit(), bound, free);
                Set<String> inner = new HashSet<>(bound);
                inner.add(loop.iterVar());
                if (!loop.iterVar2().isEmpty()) {
                    inner.add(loop.iterVar2());
                }
                inner.add(loop.accuVar());
                collectFree(loop.loopCondition(), inner, free);
                collectFree(loop.loopStep(), inner, free);
                Set<String> result = new HashSet<>(bound);
                result.add(loop.accuVar());
                collectFree(loop.result(), result, free);
            }
            default -> {
                // constants and unset expressions read nothing
            }
        }
    }
}
