package io.cxflow.analytics.segment.internal;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelFunctionResolver;
import dev.cel.runtime.CelLateFunctionBindings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The behaviour-over-time functions of segment conditions, declared to the CEL compiler (so their
 * arguments are type-checked) and bound per evaluation to one profile's {@link ProfileHistory} and an
 * evaluation time {@code now} (never the wall clock):
 *
 * <ul>
 *   <li>{@code count(name: string, window: duration) -> int}
 *   <li>{@code sum(name: string, property: string, window: duration) -> double}
 *   <li>{@code since(name: string) -> duration}
 *   <li>{@code idle() -> duration}
 *   <li>{@code channels(window: duration) -> int}
 * </ul>
 */
public final class BehaviourFunctions {

    public static final String COUNT = "count";
    public static final String SUM = "sum";
    public static final String SINCE = "since";
    public static final String IDLE = "idle";
    public static final String CHANNELS = "channels";

    /** Every function name. */
    public static final ImmutableSet<String> NAMES = ImmutableSet.of(COUNT, SUM, SINCE, IDLE, CHANNELS);

    /** The functions whose value grows with time itself (durations), rather than stepping. */
    public static final ImmutableSet<String> ELAPSED = ImmutableSet.of(SINCE, IDLE);

    private static final String COUNT_ID = "cx_count_string_duration";
    private static final String SUM_ID = "cx_sum_string_string_duration";
    private static final String SINCE_ID = "cx_since_string";
    private static final String IDLE_ID = "cx_idle";
    private static final String CHANNELS_ID = "cx_channels_duration";

    private static final ImmutableList<CelFunctionDecl> DECLARATIONS = ImmutableList.of(
            CelFunctionDecl.newFunctionDeclaration(
                    COUNT,
                    CelOverloadDecl.newGlobalOverload(
                            COUNT_ID,
                            "events of that name within the window before now",
                            SimpleType.INT,
                            SimpleType.STRING,
                            SimpleType.DURATION)),
            CelFunctionDecl.newFunctionDeclaration(
                    SUM,
                    CelOverloadDecl.newGlobalOverload(
                            SUM_ID,
                            "sum of a numeric property of the events of that name within the window before now",
                            SimpleType.DOUBLE,
                            SimpleType.STRING,
                            SimpleType.STRING,
                            SimpleType.DURATION)),
            CelFunctionDecl.newFunctionDeclaration(
                    SINCE,
                    CelOverloadDecl.newGlobalOverload(
                            SINCE_ID,
                            "time since the newest event of that name (100 years if never)",
                            SimpleType.DURATION,
                            SimpleType.STRING)),
            CelFunctionDecl.newFunctionDeclaration(
                    IDLE,
                    CelOverloadDecl.newGlobalOverload(
                            IDLE_ID, "time since the newest event of any kind", SimpleType.DURATION, List.of())),
            CelFunctionDecl.newFunctionDeclaration(
                    CHANNELS,
                    CelOverloadDecl.newGlobalOverload(
                            CHANNELS_ID,
                            "distinct channels used within the window before now",
                            SimpleType.INT,
                            SimpleType.DURATION)));

    private static final CelFunctionResolver NO_TIME_ELAPSED = CelLateFunctionBindings.from(
            CelFunctionBinding.from(SINCE_ID, String.class, name -> Duration.ZERO),
            CelFunctionBinding.from(IDLE_ID, List.of(), args -> Duration.ZERO));

    private BehaviourFunctions() {}

    /** The declarations for the compiler. */
    public static ImmutableList<CelFunctionDecl> declarations() {
        return DECLARATIONS;
    }

    /** The functions of one profile at one evaluation time. */
    public static CelFunctionResolver bindings(ProfileHistory history, Instant now) {
        return CelLateFunctionBindings.from(
                CelFunctionBinding.from(
                        COUNT_ID, String.class, Duration.class, (name, window) -> history.count(name, window, now)),
                CelFunctionBinding.from(
                        SUM_ID,
                        List.of(String.class, String.class, Duration.class),
                        args -> history.sum((String) args[0], (String) args[1], (Duration) args[2], now)),
                CelFunctionBinding.from(SINCE_ID, String.class, name -> history.since(name, now)),
                CelFunctionBinding.from(IDLE_ID, List.of(), args -> history.idle(now)),
                CelFunctionBinding.from(CHANNELS_ID, Duration.class, window -> history.channels(window, now)));
    }

    /** {@code since} and {@code idle} answering 0, to read the constant part of an expression over them. */
    static CelFunctionResolver noTimeElapsed() {
        return NO_TIME_ELAPSED;
    }
}
