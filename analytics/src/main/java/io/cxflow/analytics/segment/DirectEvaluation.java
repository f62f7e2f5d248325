package io.cxflow.analytics.segment;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelExpr;
import dev.cel.runtime.RuntimeHelpers;
import io.cxflow.analytics.segment.internal.BehaviourFunctions;
import io.cxflow.analytics.segment.internal.ProfileHistory;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The common shapes of segment conditions evaluated directly in Java, with CEL's answers and errors, at a
 * fraction of the interpreter's cost: {@code &&}, {@code ||}, {@code !}, comparisons of numbers (int and
 * double, compared exactly), of durations, of booleans and strings, and of a trait with a constant; the
 * behaviour functions with literal arguments; {@code duration("…")} literals; {@code startsWith}, {@code
 * endsWith} and {@code contains} on strings; {@code profile.eventCount}, {@code customerId}, {@code timezone},
 * {@code locale},
 * {@code profile.orders.count}, {@code profile.consent.<channel>}, {@code profile.traits.<name>}, and
 * {@code has(profile.<map>.<key>)}. A condition using anything else is left to CEL ({@link #of} answers
 * null), so the subset can only make evaluation cheaper, never different — a test compares both on
 * random profiles and times.
 *
 * <p>CEL's logic is kept exactly: {@code a && b} is false when either side is false even if the other
 * fails, {@code a || b} is true when either side is true even if the other fails; otherwise a failure
 * (a missing map key) fails the condition.
 */
final class DirectEvaluation {

    /** A value of the subset: Boolean, Long, Double, String, Duration, or any trait value ({@link Type#DYN}). */
    private enum Type {
        BOOL,
        INT,
        DOUBLE,
        STRING,
        DURATION,
        DYN
    }

    /** The evaluation of one condition for one profile view at one time. */
    private record Scope(ProfileView view, Instant now) {
        ProfileHistory history() {
            return view.history();
        }
    }

    /** A failed evaluation (a missing map key); carries no stack. */
    private static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    private abstract static class Node {
        final Type type;

        Node(Type type) {
            this.type = type;
        }

        abstract Object eval(Scope scope);

        boolean test(Scope scope) {
            return (Boolean) eval(scope);
        }
    }

    private static final Set<String> MAPS = Set.of("traits", "identities", "channels", "consent", "events");
    private static final Set<String> COMPARISONS = Set.of("_<_", "_<=_", "_>_", "_>=_", "_==_", "_!=_");
    private static final double TWO_TO_53 = 9_007_199_254_740_992.0;

    private final Node root;

    private DirectEvaluation(Node root) {
        this.root = root;
    }

    /** The direct evaluation of a checked condition over {@code variable}, or null when it leaves the subset. */
    static DirectEvaluation of(CelAbstractSyntaxTree ast, String variable) {
        Node root = new Compiler(variable).node(ast.getExpr());
        return root == null || root.type != Type.BOOL ? null : new DirectEvaluation(root);
    }

    /**
     * The condition's answer.
     *
     * @throws ConditionEvaluationException when CEL's evaluation would fail
     */
    boolean test(ProfileView view, Instant now) {
        try {
            return root.test(new Scope(view, now));
        } catch (Failure e) {
            throw new ConditionEvaluationException(e.getMessage(), null);
        }
    }

    // ----- compiling

    private static final class Compiler {
        private final String variable;

        Compiler(String variable) {
            this.variable = variable;
        }

        Node node(CelExpr expr) {
            return switch (expr.getKind()) {
                case CONSTANT -> constant(expr);
                case SELECT -> select(expr.select());
                case CALL -> expr.call().target().isPresent() ? memberCall(expr.call()) : call(expr.call());
                default -> null;
            };
        }

        private static Node constant(CelExpr expr) {
            return switch (expr.constant().getKind()) {
                case BOOLEAN_VALUE -> new Constant(Type.BOOL, expr.constant().booleanValue());
                case INT64_VALUE -> new Constant(Type.INT, expr.constant().int64Value());
                case DOUBLE_VALUE -> new Constant(Type.DOUBLE, expr.constant().doubleValue());
                case STRING_VALUE -> new Constant(Type.STRING, expr.constant().stringValue());
                default -> null;
            };
        }

        private boolean isProfile(CelExpr expr) {
            return expr.getKind() == CelExpr.ExprKind.Kind.IDENT
                    && expr.ident().name().equals(variable);
        }

        /** The field of {@code profile.<field>}, or null. */
        private String profileField(CelExpr expr) {
            return expr.getKind() == CelExpr.ExprKind.Kind.SELECT
                            && !expr.select().testOnly()
                            && isProfile(expr.select().operand())
                    ? expr.select().field()
                    : null;
        }

        private Node select(CelExpr.CelSelect select) {
            String parent = profileField(select.operand());
            String field = select.field();
            if (select.testOnly()) {
                return parent != null && MAPS.contains(parent) ? new Has(parent, field) : null;
            }
            if (isProfile(select.operand())) {
                return switch (field) {
                    case "eventCount" -> new Field(Type.INT, field, null);
                    case "customerId", "timezone", "locale" -> new Field(Type.STRING, field, null);
                    default -> null;
                };
            }
            if (parent == null) {
                return null;
            }
            return switch (parent) {
                case "orders" -> field.equals("count") ? new Field(Type.INT, "orders", "count") : null;
                case "consent" -> new Field(Type.BOOL, "consent", field);
                case "traits" -> new Field(Type.DYN, "traits", field);
                default -> null;
            };
        }

        private Node call(CelExpr.CelCall call) {
            List<CelExpr> args = call.args();
            String function = call.function();
            if (COMPARISONS.contains(function) && args.size() == 2) {
                return comparison(function, node(args.get(0)), node(args.get(1)));
            }
            switch (function) {
                case "_&&_", "_||_" -> {
                    if (args.size() != 2) {
                        return null;
                    }
                    Node left = node(args.get(0));
                    Node right = node(args.get(1));
                    return bool(left) && bool(right) ? new Logic(function.equals("_&&_"), left, right) : null;
                }
                case "!_" -> {
                    Node operand = args.size() == 1 ? node(args.getFirst()) : null;
                    return bool(operand) ? new Not(operand) : null;
                }
                case "duration" -> {
                    Node text = args.size() == 1 ? node(args.getFirst()) : null;
                    if (text instanceof Constant constant && constant.type == Type.STRING) {
                        try {
                            return new Constant(Type.DURATION, RuntimeHelpers.createJavaDurationFromString((String)
                                    constant.value));
                        } catch (RuntimeException e) {
                            return null; // CEL reports it
                        }
                    }
                    return null;
                }
                default -> {
                    return behaviour(function, args);
                }
            }
        }

        /** {@code s.startsWith(t)}, {@code s.endsWith(t)}, {@code s.contains(t)} on strings. */
        private Node memberCall(CelExpr.CelCall call) {
            if (call.args().size() != 1) {
                return null;
            }
            Node target = node(call.target().get());
            Node argument = node(call.args().getFirst());
            if (target == null || argument == null || target.type != Type.STRING || argument.type != Type.STRING) {
                return null;
            }
            return switch (call.function()) {
                case "startsWith" ->
                    new Behaviour(Type.BOOL, s -> string(target, s).startsWith(string(argument, s)));
                case "endsWith" ->
                    new Behaviour(Type.BOOL, s -> string(target, s).endsWith(string(argument, s)));
                case "contains" ->
                    new Behaviour(Type.BOOL, s -> string(target, s).contains(string(argument, s)));
                default -> null;
            };
        }

        private Node behaviour(String function, List<CelExpr> args) {
            Node[] nodes = new Node[args.size()];
            for (int i = 0; i < nodes.length; i++) {
                nodes[i] = node(args.get(i));
                if (nodes[i] == null) {
                    return null;
                }
            }
            return switch (function) {
                case BehaviourFunctions.COUNT ->
                    typed(nodes, Type.STRING, Type.DURATION)
                            ? new Behaviour(Type.INT, s -> s.history()
                                    .count(string(nodes[0], s), duration(nodes[1], s), s.now()))
                            : null;
                case BehaviourFunctions.SUM ->
                    typed(nodes, Type.STRING, Type.STRING, Type.DURATION)
                            ? new Behaviour(Type.DOUBLE, s -> s.history()
                                    .sum(string(nodes[0], s), string(nodes[1], s), duration(nodes[2], s), s.now()))
                            : null;
                case BehaviourFunctions.SINCE ->
                    typed(nodes, Type.STRING)
                            ? new Behaviour(Type.DURATION, s -> s.history().since(string(nodes[0], s), s.now()))
                            : null;
                case BehaviourFunctions.IDLE ->
                    typed(nodes) ? new Behaviour(Type.DURATION, s -> s.history().idle(s.now())) : null;
                case BehaviourFunctions.CHANNELS ->
                    typed(nodes, Type.DURATION)
                            ? new Behaviour(Type.INT, s -> s.history().channels(duration(nodes[0], s), s.now()))
                            : null;
                default -> null;
            };
        }

        private static boolean typed(Node[] nodes, Type... types) {
            if (nodes.length != types.length) {
                return false;
            }
            for (int i = 0; i < types.length; i++) {
                if (nodes[i].type != types[i]) {
                    return false;
                }
            }
            return true;
        }

        private static boolean bool(Node node) {
            return node != null && node.type == Type.BOOL;
        }

        private static Node comparison(String function, Node left, Node right) {
            if (left == null || right == null) {
                return null;
            }
            boolean equality = function.equals("_==_") || function.equals("_!=_");
            if (numeric(left.type) && numeric(right.type)) {
                return new Compare(function, left, right, DirectEvaluation::compareNumbers);
            }
            if (left.type == Type.DURATION && right.type == Type.DURATION) {
                return new Compare(function, left, right, (a, b) -> ((Duration) a).compareTo((Duration) b));
            }
            if (!equality) {
                return null;
            }
            if (left.type == right.type && (left.type == Type.BOOL || left.type == Type.STRING)) {
                return new Compare(function, left, right, (a, b) -> a.equals(b) ? 0 : 1);
            }
            boolean leftDyn = left.type == Type.DYN && right instanceof Constant && right.type != Type.DURATION;
            boolean rightDyn = right.type == Type.DYN && left instanceof Constant && left.type != Type.DURATION;
            if (leftDyn || rightDyn) {
                return new Compare(function, left, right, (a, b) -> dynEquals(a, b) ? 0 : 1);
            }
            return null;
        }

        private static boolean numeric(Type type) {
            return type == Type.INT || type == Type.DOUBLE;
        }
    }

    private static String string(Node node, Scope scope) {
        return (String) node.eval(scope);
    }

    private static Duration duration(Node node, Scope scope) {
        return (Duration) node.eval(scope);
    }

    // ----- the nodes

    private static final class Constant extends Node {
        final Object value;

        Constant(Type type, Object value) {
            super(type);
            this.value = value;
        }

        @Override
        Object eval(Scope scope) {
            return value;
        }
    }

    /** {@code profile.<field>} or {@code profile.<map>.<key>} as {@link ProfileView} shows it. */
    private static final class Field extends Node {
        private final String field;
        private final String key;

        Field(Type type, String field, String key) {
            super(type);
            this.field = field;
            this.key = key;
        }

        @Override
        Object eval(Scope scope) {
            Object value = scope.view().get(field);
            if (key == null) {
                return value;
            }
            Object entry = ((Map<?, ?>) value).get(key);
            if (entry == null) {
                throw new Failure("no such key: " + key);
            }
            return entry;
        }
    }

    private static final class Has extends Node {
        private final String field;
        private final String key;

        Has(String field, String key) {
            super(Type.BOOL);
            this.field = field;
            this.key = key;
        }

        @Override
        Object eval(Scope scope) {
            return ((Map<?, ?>) scope.view().get(field)).containsKey(key);
        }
    }

    private static final class Behaviour extends Node {
        private final java.util.function.Function<Scope, Object> function;

        Behaviour(Type type, java.util.function.Function<Scope, Object> function) {
            super(type);
            this.function = function;
        }

        @Override
        Object eval(Scope scope) {
            return function.apply(scope);
        }
    }

    /** CEL's commutative {@code &&} / {@code ||}: a decisive side wins over a failing one. */
    private static final class Logic extends Node {
        private final boolean and;
        private final Node left;
        private final Node right;

        Logic(boolean and, Node left, Node right) {
            super(Type.BOOL);
            this.and = and;
            this.left = left;
            this.right = right;
        }

        @Override
        Object eval(Scope scope) {
            Failure failure = null;
            try {
                if (left.test(scope) != and) {
                    return !and;
                }
            } catch (Failure e) {
                failure = e;
            }
            boolean second = right.test(scope); // a failure here, after a non-decisive left, is the answer
            if (second != and) {
                return !and;
            }
            if (failure != null) {
                throw failure;
            }
            return and;
        }
    }

    private static final class Not extends Node {
        private final Node operand;

        Not(Node operand) {
            super(Type.BOOL);
            this.operand = operand;
        }

        @Override
        Object eval(Scope scope) {
            return !operand.test(scope);
        }
    }

    /** Compares two values: a negative, zero or positive order, or {@link Integer#MIN_VALUE} for unordered (NaN). */
    private interface Order {
        int compare(Object a, Object b);
    }

    /** A comparison's outcome by the sign of the order; an unordered pair (NaN) holds only for {@code !=}. */
    private enum Comparison {
        LESS,
        LESS_OR_EQUAL,
        GREATER,
        GREATER_OR_EQUAL,
        EQUAL,
        NOT_EQUAL;

        static Comparison of(String function) {
            return switch (function) {
                case "_<_" -> LESS;
                case "_<=_" -> LESS_OR_EQUAL;
                case "_>_" -> GREATER;
                case "_>=_" -> GREATER_OR_EQUAL;
                case "_==_" -> EQUAL;
                default -> NOT_EQUAL;
            };
        }

        boolean holds(int c) {
            if (c == Integer.MIN_VALUE) {
                return this == NOT_EQUAL;
            }
            return switch (this) {
                case LESS -> c < 0;
                case LESS_OR_EQUAL -> c <= 0;
                case GREATER -> c > 0;
                case GREATER_OR_EQUAL -> c >= 0;
                case EQUAL -> c == 0;
                case NOT_EQUAL -> c != 0;
            };
        }
    }

    private static final class Compare extends Node {
        private final Comparison comparison;
        private final Node left;
        private final Node right;
        private final Order order;

        Compare(String function, Node left, Node right, Order order) {
            super(Type.BOOL);
            this.comparison = Comparison.of(function); // resolved once, not per evaluation
            this.left = left;
            this.right = right;
            this.order = order;
        }

        @Override
        Object eval(Scope scope) {
            return comparison.holds(order.compare(left.eval(scope), right.eval(scope)));
        }
    }

    /** Numbers compared exactly, int with double too; {@link Integer#MIN_VALUE} when a NaN is involved. */
    static int compareNumbers(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            return Long.compare(x, y);
        }
        if (a instanceof Double x && b instanceof Double y) {
            return compareDoubles(x, y);
        }
        if (a instanceof Double x && b instanceof Long y) {
            return compareDoubleLong(x, y);
        }
        if (a instanceof Long x && b instanceof Double y) {
            int c = compareDoubleLong(y, x);
            return c == Integer.MIN_VALUE ? c : -c;
        }
        throw new IllegalStateException("not two numbers: " + a + ", " + b);
    }

    private static int compareDoubles(double x, double y) {
        if (x < y) {
            return -1;
        }
        if (x > y) {
            return 1;
        }
        return x == y ? 0 : Integer.MIN_VALUE;
    }

    private static int compareDoubleLong(double x, long y) {
        if (Double.isNaN(x)) {
            return Integer.MIN_VALUE;
        }
        if (Math.abs((double) y) < TWO_TO_53) {
            return compareDoubles(x, y);
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? 1 : -1;
        }
        return new BigDecimal(x).compareTo(BigDecimal.valueOf(y));
    }

    /** CEL's equality of a trait value (any JSON value) with a constant: different kinds are unequal. */
    static boolean dynEquals(Object a, Object b) {
        if ((a instanceof Long || a instanceof Double) && (b instanceof Long || b instanceof Double)) {
            return compareNumbers(a, b) == 0;
        }
        return a.getClass() == b.getClass() && a.equals(b);
    }
}
