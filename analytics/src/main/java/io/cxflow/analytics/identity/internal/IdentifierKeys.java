package io.cxflow.analytics.identity.internal;

import io.cxflow.analytics.identity.CustomerIds;
import io.cxflow.analytics.identity.IdentitySettings;

/** Helpers over identifier keys ({@code type:value}). */
public final class IdentifierKeys {

    private IdentifierKeys() {}

    public static String key(String type, String value) {
        return type + ":" + value;
    }

    /** The type part of a key. */
    public static String type(String key) {
        int colon = key.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("not an identifier key (type:value): " + key);
        }
        return key.substring(0, colon);
    }

    /** The value part of a key. */
    public static String value(String key) {
        return key.substring(key.indexOf(':') + 1);
    }

    /** Whether events can be routed by this identifier (userId or anonymousId). */
    public static boolean isRouting(String key) {
        return key.startsWith(IdentitySettings.USER_ID + ":") || key.startsWith(IdentitySettings.ANONYMOUS_ID + ":");
    }

    public static boolean isUser(String key) {
        return key.startsWith(IdentitySettings.USER_ID + ":");
    }

    /** The customer a routing identifier belongs to while it is linked to nothing. */
    public static String ownCustomer(String routingKey) {
        return CustomerIds.derive(routingKey);
    }
}
