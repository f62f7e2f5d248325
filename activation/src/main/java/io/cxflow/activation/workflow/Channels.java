package io.cxflow.activation.workflow;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The channels a send step may name, and the validation of each channel's settings. A channel is
 * listed in {@link #PLANNED} once its name is part of the contract but its connector does not exist
 * yet; naming it is refused with a message saying so rather than accepted and silently dropped.
 */
public final class Channels {

    public static final String WEBHOOK = "webhook";

    /** Channels whose connectors exist. */
    public static final Set<String> AVAILABLE = Set.of(WEBHOOK);

    /** Channel names of the contract whose connectors do not exist yet. */
    public static final Set<String> PLANNED = Set.of("email", "sms", "push", "ads", "agent_task");

    static final int MAX_URL_LENGTH = 2048;

    private Channels() {}

    /**
     * Validates the settings of a send step on {@code channel}; adds an error per problem.
     *
     * @param path the JSON path of the send object, e.g. {@code steps[0].send}
     */
    static void validate(String channel, Map<String, String> settings, String path, List<FieldError> errors) {
        if (WEBHOOK.equals(channel)) {
            validateWebhook(settings, path, errors);
        }
    }

    private static void validateWebhook(Map<String, String> settings, String path, List<FieldError> errors) {
        String field = path + ".url";
        String url = settings.get("url");
        if (url == null || url.isBlank()) {
            errors.add(new FieldError(field, "is required for channel webhook"));
            return;
        }
        if (url.length() > MAX_URL_LENGTH) {
            errors.add(new FieldError(field, "must be at most " + MAX_URL_LENGTH + " characters"));
            return;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            errors.add(new FieldError(field, "is not a valid URL: " + e.getReason()));
            return;
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            errors.add(new FieldError(field, "must use the http or https scheme"));
            return;
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            errors.add(new FieldError(field, "must name a host"));
            return;
        }
        if (uri.getRawUserInfo() != null) {
            errors.add(new FieldError(
                    field, "must not carry credentials; configure a signing secret or a token in the path"));
        }
        if (uri.getRawFragment() != null) {
            errors.add(new FieldError(field, "must not have a fragment"));
        }
    }
}
