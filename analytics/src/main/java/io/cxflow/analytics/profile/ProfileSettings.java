package io.cxflow.analytics.profile;

import io.cxflow.analytics.dedupe.DedupeTopology;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the profile aggregation needs from configuration.
 *
 * @param defaultCurrency ISO 4217 code used for an {@code Order Completed} without {@code
 *     properties.currency}
 * @param historySums numeric properties summed per event name in the rolling history (for {@code
 *     sum(name, property, window)})
 * @param dedupeWindow the same {@code (sourceId, messageId)} counts once when its copies were received
 *     within this window of each other (1 ms to {@link DedupeTopology#MAX_WINDOW})
 */
public record ProfileSettings(String defaultCurrency, Duration dedupeWindow, List<String> historySums) {

    /** Numeric properties summed per event name in the rolling history by default. */
    public static final List<String> DEFAULT_HISTORY_SUMS = List.of("revenue", "total", "value", "quantity");

    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    public ProfileSettings {
        Objects.requireNonNull(defaultCurrency, "defaultCurrency");
        if (!CURRENCY.matcher(defaultCurrency).matches()) {
            throw new IllegalArgumentException("defaultCurrency must be an ISO 4217 code like EUR: " + defaultCurrency);
        }
        Objects.requireNonNull(dedupeWindow, "dedupeWindow");
        if (!DedupeTopology.isValidWindow(dedupeWindow)) {
            throw new IllegalArgumentException(
                    "dedupeWindow must be between 1 ms and " + DedupeTopology.MAX_WINDOW + ": " + dedupeWindow);
        }
        historySums = List.copyOf(Objects.requireNonNull(historySums, "historySums"));
    }

    public ProfileSettings(String defaultCurrency, Duration dedupeWindow) {
        this(defaultCurrency, dedupeWindow, DEFAULT_HISTORY_SUMS);
    }

    /** Settings with the default dedupe window ({@link DedupeTopology#DEFAULT_WINDOW}). */
    public ProfileSettings(String defaultCurrency) {
        this(defaultCurrency, DedupeTopology.DEFAULT_WINDOW, DEFAULT_HISTORY_SUMS);
    }

    /** Whether a text is a currency code as stored in {@code orders.revenue}. */
    public static boolean isCurrency(String code) {
        return code != null && CURRENCY.matcher(code).matches();
    }
}
