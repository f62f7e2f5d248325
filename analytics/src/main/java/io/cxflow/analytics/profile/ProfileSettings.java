package io.cxflow.analytics.profile;

import io.cxflow.analytics.dedupe.DedupeTopology;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the profile aggregation needs from configuration.
 *
 * @param defaultCurrency ISO 4217 code used for an {@code Order Completed} without {@code
 *     properties.currency}
 * @param dedupeWindow the same {@code (sourceId, messageId)} counts once when its copies were received
 *     within this window of each other (1 ms to {@link DedupeTopology#MAX_WINDOW})
 */
public record ProfileSettings(String defaultCurrency, Duration dedupeWindow) {

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
    }

    /** Settings with the default dedupe window ({@link DedupeTopology#DEFAULT_WINDOW}). */
    public ProfileSettings(String defaultCurrency) {
        this(defaultCurrency, DedupeTopology.DEFAULT_WINDOW);
    }

    /** Whether a text is a currency code as stored in {@code orders.revenue}. */
    public static boolean isCurrency(String code) {
        return code != null && CURRENCY.matcher(code).matches();
    }
}
