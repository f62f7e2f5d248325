package io.cxflow.analytics.segment.internal;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a segment condition reads of a profile, found in its checked expression: the top-level fields
 * of {@code profile} it selects, and the event names whose history its {@code count}, {@code sum} and
 * {@code since} calls read. {@code idle()} reads {@code lastSeen}, {@code channels()} reads {@code
 * channels}. When the reading cannot be pinned down — {@code profile} used other than by selecting a
 * field, a variable named {@code profile} bound inside the expression, an event name that is not a
 * string literal — the condition reads everything ({@link #all()}) or every name.
 *
 * <p>{@code segments} counts as everything: the list a condition sees is the one before its own
 * evaluation, so no earlier answer can stand for a condition over it.
 *
 * @param all whether the condition may read any part of the profile
 * @param fields the top-level fields read (contract names, e.g. {@code traits}, {@code orders})
 * @param allNames whether the history of any event name may be read
 * @param names the event names whose history is read
 * @param fieldMask {@code fields} as bits of {@link InputChanges#FIELDS}
 */
public record ConditionInputs(boolean all, Set<String> fields, boolean allNames, Set<String> names, int fieldMask) {

    /** Reads everything: never taken as unchanged. */
    public static final ConditionInputs EVERYTHING = new ConditionInputs(true, Set.of(), true, Set.of());

    /**
     * @param all whether the condition may read any part of the profile (also when a field is not one
     *     {@link InputChanges} compares)
     * @param fields the top-level fields read
     * @param allNames whether the history of any event name may be read
     * @param names the event names whose history is read
     */
    public ConditionInputs(boolean all, Set<String> fields, boolean allNames, Set<String> names) {
        this(all || InputChanges.mask(fields) < 0, fields, allNames, names, Math.max(0, InputChanges.mask(fields)));
    }

    public ConditionInputs {
        fields = Set.copyOf(fields);
        names = Set.copyOf(names);
    }

    /** The inputs of a checked condition over {@code variable}. */
    public static ConditionInputs of(CelAbstractSyntaxTree ast, String variable) {
        Set<String> fields = new TreeSet<>();
        Set<String> names = new TreeSet<>();
        boolean allNames = false;
        List<CelNavigableExpr> nodes =
                CelNavigableAst.fromAst(ast).getRoot().allNodes().toList();
        for (CelNavigableExpr node : nodes) {
            CelExpr expr = node.expr();
            switch (expr.getKind()) {
                case IDENT -> {
                    String name = expr.ident().name();
                    if (name.equals(variable)) {
                        Optional<CelNavigableExpr> parent = node.parent();
                        if (parent.isEmpty() || parent.get().expr().getKind() != CelExpr.ExprKind.Kind.SELECT) {
                            return EVERYTHING;
                        }
                        fields.add(parent.get().expr().select().field());
                    } else if (name.startsWith(variable + ".")) {
                        String rest = name.substring(variable.length() + 1);
                        int dot = rest.indexOf('.');
                        fields.add(dot < 0 ? rest : rest.substring(0, dot));
                    }
                }
                case COMPREHENSION -> {
                    CelExpr.CelComprehension loop = expr.comprehension();
                    if (variable.equals(loop.iterVar())
                            || variable.equals(loop.iterVar2())
                            || variable.equals(loop.accuVar())) {
                        return EVERYTHING;
                    }
                }
                case CALL -> {
                    CelExpr.CelCall call = expr.call();
                    if (call.target().isPresent()) {
                        continue;
                    }
                    switch (call.function()) {
                        case BehaviourFunctions.COUNT, BehaviourFunctions.SUM, BehaviourFunctions.SINCE -> {
                            CelExpr first =
                                    call.args().isEmpty() ? null : call.args().getFirst();
                            if (first != null
                                    && first.getKind() == CelExpr.ExprKind.Kind.CONSTANT
                                    && first.constant().getKind() == CelConstant.Kind.STRING_VALUE) {
                                names.add(first.constant().stringValue());
                            } else {
                                allNames = true;
                            }
                        }
                        case BehaviourFunctions.IDLE -> fields.add("lastSeen");
                        case BehaviourFunctions.CHANNELS -> fields.add("channels");
                        default -> {
                            // other functions read only their arguments, visited on their own
                        }
                    }
                }
                default -> {
                    // selects, constants, lists and maps read what their operands read
                }
            }
        }
        if (fields.contains("segments")) {
            return EVERYTHING;
        }
        return new ConditionInputs(false, fields, allNames, allNames ? Set.of() : names);
    }

    /** Whether any input of the condition differs between the two profiles {@code changes} compares. */
    public boolean changedIn(InputChanges changes) {
        if (all || changes.everything()) {
            return true;
        }
        if (changes.anyField(fieldMask)) {
            return true;
        }
        if (allNames) {
            return changes.anyName();
        }
        for (String name : names) {
            if (changes.name(name)) {
                return true;
            }
        }
        return false;
    }
}
