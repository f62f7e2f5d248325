package io.cxflow.analytics.profile;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the profile aggregation needs from configuration.
 *
 * @param defaultCurrency ISO 4217 code used for an {@code Order Completed} without {@code
 *     properties.currency}
 */
public record ProfileSettings(String defaultCurrency) {

    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    public ProfileSettings {
        Objects.requireNonNull(defaultCurrency, "defaultCurrency");
        if (!CURRENCY.matcher(defaultCurrency).matches()) {
            throw new IllegalArgumentException("defaultCurrency must be an ISO 4217 code like EUR: " + defaultCurrency);
        }
    }

    /** Whether a text is a currency code as stored in {@code orders.revenue}. */
    public static boolean isCurrency(String code) {
        return code != null && CURRENCY.matcher(code).matches();
    }
}
