package io.cxflow.analytics.segment.internal;

import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.checker.CelStandardDeclarations;
import dev.cel.common.CelOptions;
import dev.cel.common.exceptions.CelBadFormatException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelStandardFunctions;
import dev.cel.runtime.RuntimeHelpers;
import dev.cel.runtime.standard.DurationFunction.DurationOverload;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CEL environment of segment conditions: one variable {@code profile} whose fields are those of the
 * public profile JSON contract, typed, so a misspelt field or a comparison of the wrong type fails at
 * compile time, and the behaviour functions of {@link BehaviourFunctions}, declared here and bound at
 * each evaluation to the profile's history and the evaluation time. Immutable and thread-safe; built
 * once.
 */
public final class ProfileCelEnvironment {

    /** The variable conditions are written over. */
    public static final String PROFILE_VARIABLE = "profile";

    private static final StructType CHANNEL = struct(
            "cxflow.ChannelStats",
            Map.of("eventCount", SimpleType.INT, "firstSeen", SimpleType.TIMESTAMP, "lastSeen", SimpleType.TIMESTAMP));

    private static final StructType ORDERS = struct(
            "cxflow.Orders",
            Map.of("count", SimpleType.INT, "revenue", MapType.create(SimpleType.STRING, SimpleType.DOUBLE)));

    private static final StructType PROFILE = profileType();

    /** The overload id of the standard {@code duration(string)}. */
    private static final String STRING_TO_DURATION = "string_to_duration";

    /**
     * {@code duration("2h")} parsed once per text: conditions name constant durations, and CEL parses
     * the text again on every evaluation (a fifth of a condition's cost with behaviour functions). At
     * most {@value #MAX_DURATIONS} texts are kept (a duration read from a trait could take any text).
     */
    private static final Map<String, Duration> DURATIONS = new ConcurrentHashMap<>();

    private static final int MAX_DURATIONS = 4_096;

    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setOptions(CelOptions.current()
                    .enableHeterogeneousNumericComparisons(true)
                    .build())
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            // the standard duration(string), memoised (same result, same error for a malformed text)
            .setStandardEnvironmentEnabled(false)
            .setStandardDeclarations(CelStandardDeclarations.newBuilder().build())
            .setStandardFunctions(CelStandardFunctions.newBuilder()
                    .filterFunctions((function, overload) -> overload != DurationOverload.STRING_TO_DURATION)
                    .build())
            .addFunctionBindings(CelFunctionBinding.from(STRING_TO_DURATION, String.class, text -> {
                Duration known = DURATIONS.get(text);
                if (known != null) {
                    return known;
                }
                Duration parsed;
                try {
                    parsed = RuntimeHelpers.createJavaDurationFromString(text);
                } catch (IllegalArgumentException e) {
                    throw new CelBadFormatException(e);
                }
                if (DURATIONS.size() < MAX_DURATIONS) {
                    DURATIONS.put(text, parsed);
                }
                return parsed;
            }))
            .setTypeProvider(new TypeProvider(PROFILE, CHANNEL, ORDERS))
            .addVar(PROFILE_VARIABLE, PROFILE)
            .addFunctionDeclarations(BehaviourFunctions.declarations())
            .setResultType(SimpleType.BOOL)
            .build();

    private ProfileCelEnvironment() {}

    /** The compiler and runtime of conditions. */
    public static Cel cel() {
        return CEL;
    }

    /** The field names of {@code profile}, for documentation and error messages. */
    public static ImmutableSet<String> profileFields() {
        return PROFILE.fieldNames();
    }

    private static StructType profileType() {
        Map<String, CelType> fields = new LinkedHashMap<>();
        fields.put("customerId", SimpleType.STRING);
        fields.put("identities", MapType.create(SimpleType.STRING, ListType.create(SimpleType.STRING)));
        fields.put("traits", MapType.create(SimpleType.STRING, SimpleType.DYN));
        fields.put("firstSeen", SimpleType.TIMESTAMP);
        fields.put("lastSeen", SimpleType.TIMESTAMP);
        fields.put("eventCount", SimpleType.INT);
        fields.put("events", MapType.create(SimpleType.STRING, SimpleType.INT));
        fields.put("channels", MapType.create(SimpleType.STRING, CHANNEL));
        fields.put("orders", ORDERS);
        fields.put("consent", MapType.create(SimpleType.STRING, SimpleType.BOOL));
        fields.put("segments", ListType.create(SimpleType.STRING));
        fields.put("timezone", SimpleType.STRING);
        fields.put("locale", SimpleType.STRING);
        return struct("cxflow.Profile", fields);
    }

    private static StructType struct(String name, Map<String, CelType> fields) {
        Map<String, CelType> copy = new LinkedHashMap<>(fields);
        return StructType.create(
                name, ImmutableSet.copyOf(copy.keySet()), field -> Optional.ofNullable(copy.get(field)));
    }

    private static final class TypeProvider implements CelTypeProvider {
        private final ImmutableList<CelType> types;

        TypeProvider(CelType... types) {
            this.types = ImmutableList.copyOf(types);
        }

        @Override
        public ImmutableCollection<CelType> types() {
            return types;
        }

        @Override
        public Optional<CelType> findType(String typeName) {
            return types.stream().filter(t -> t.name().equals(typeName)).findFirst();
        }
    }
}
