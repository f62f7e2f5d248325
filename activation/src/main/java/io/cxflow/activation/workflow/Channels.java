package io.cxflow.activation.workflow;

import io.cxflow.activation.template.MessageTemplates;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The channels a send step may name, the settings each accepts, and their validation on save. A
 * channel of the contract that this deployment has not configured (no SMTP host, no SMS endpoint …)
 * is refused with a message naming the key that turns it on, rather than accepted and failed at send
 * time.
 */
public final class Channels {

    public static final String WEBHOOK = "webhook";
    public static final String EMAIL = "email";
    public static final String SMS = "sms";
    public static final String PUSH = "push";
    public static final String ADS = "ads";
    public static final String AGENT_TASK = "agent_task";

    /** Every channel of the contract. */
    public static final Set<String> ALL = Set.of(WEBHOOK, EMAIL, SMS, PUSH, ADS, AGENT_TASK);

    /** The key that turns each channel on, for error messages. */
    private static final Map<String, String> ENABLED_BY = Map.of(
            EMAIL, "activation.email.smtp.host",
            SMS, "activation.sms.url",
            PUSH, "activation.push.url",
            ADS, "activation.audience.drop-dir or activation.audience.url",
            AGENT_TASK, "activation.agent-task.url or activation.agent-task.topic");

    /** Settings each channel accepts; {@code data.<name>} is accepted where {@code data.*} is listed. */
    private static final Map<String, Set<String>> SETTINGS = Map.of(
            WEBHOOK, Set.of("url"),
            EMAIL, Set.of("subject", "text", "html", "data.*"),
            SMS, Set.of("text", "body", "data.*"),
            PUSH, Set.of("title", "subject", "text", "body", "data.*"),
            ADS, Set.of("audience", "operation"),
            AGENT_TASK, Set.of("queue", "priority", "due-in", "delivery", "title", "subject", "text", "data.*"));

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Set<String> PRIORITIES = Set.of("low", "normal", "high", "urgent");

    static final int MAX_URL_LENGTH = 2048;
    static final int MAX_SETTING_LENGTH = 64 * 1024;

    private Channels() {}

    /** The settings {@code channel} accepts, for error messages (sorted). */
    static Set<String> settingsOf(String channel) {
        return new TreeSet<>(SETTINGS.getOrDefault(channel, Set.of()));
    }

    /** Whether {@code channel} accepts the setting {@code name}. */
    static boolean accepts(String channel, String name) {
        Set<String> known = SETTINGS.getOrDefault(channel, Set.of());
        return known.contains(name)
                || (known.contains("data.*") && name.startsWith("data.") && name.length() > "data.".length());
    }

    /** Why {@code channel} cannot be used on a deployment where only {@code configured} are on. */
    static String unavailable(String channel, Set<String> configured) {
        if (!ALL.contains(channel)) {
            return "unknown channel '" + channel + "'; channels: " + new TreeSet<>(ALL);
        }
        if (!configured.contains(channel)) {
            return "channel '" + channel + "' is not configured on this deployment (set " + ENABLED_BY.get(channel)
                    + "); configured: " + new TreeSet<>(configured);
        }
        return null;
    }

    /**
     * Validates the settings of a send step on {@code channel}; adds an error per problem.
     *
     * @param path the JSON path of the send object, e.g. {@code steps[0].send}
     */
    static void validate(
            String channel,
            Map<String, String> settings,
            String path,
            MessageTemplates templates,
            List<FieldError> errors) {
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            if (setting.getValue().length() > MAX_SETTING_LENGTH) {
                errors.add(new FieldError(
                        path + '.' + setting.getKey(), "must be at most " + MAX_SETTING_LENGTH + " characters"));
            } else if (MessageTemplates.isContent(setting.getKey())) {
                String problem = templates.check(setting.getKey(), setting.getValue());
                if (problem != null) {
                    errors.add(new FieldError(path + '.' + setting.getKey(), problem));
                }
            }
        }
        switch (channel) {
            case WEBHOOK -> validateWebhook(settings, path, errors);
            case EMAIL -> {
                requireOne(settings, path, errors, "subject");
                requireOne(settings, path, errors, "text", "html");
            }
            case SMS -> requireOne(settings, path, errors, "text", "body");
            case PUSH -> requireOne(settings, path, errors, "text", "body");
            case ADS -> {
                String audience = settings.get("audience");
                if (audience == null || audience.isBlank()) {
                    errors.add(new FieldError(path + ".audience", "is required for channel ads"));
                } else if (!NAME.matcher(audience).matches()) {
                    errors.add(new FieldError(path + ".audience", "must match " + NAME.pattern()));
                }
                oneOf(settings, "operation", Set.of("add", "remove", "auto"), path, errors);
            }
            case AGENT_TASK -> {
                String queue = settings.get("queue");
                if (queue != null && !NAME.matcher(queue).matches()) {
                    errors.add(new FieldError(path + ".queue", "must match " + NAME.pattern()));
                }
                oneOf(settings, "priority", PRIORITIES, path, errors);
                oneOf(settings, "delivery", Set.of("webhook", "topic"), path, errors);
                String dueIn = settings.get("due-in");
                if (dueIn != null) {
                    try {
                        if (Duration.parse(dueIn).isNegative()) {
                            errors.add(new FieldError(path + ".due-in", "must not be negative"));
                        }
                    } catch (DateTimeParseException e) {
                        errors.add(new FieldError(path + ".due-in", "must be an ISO-8601 duration such as PT4H"));
                    }
                }
            }
            default -> {
                // unknown channels are refused before their settings are looked at
            }
        }
    }

    private static void requireOne(
            Map<String, String> settings, String path, List<FieldError> errors, String... names) {
        for (String name : names) {
            String value = settings.get(name);
            if (value != null && !value.isBlank()) {
                return;
            }
        }
        String field = path + '.' + names[0];
        errors.add(new FieldError(
                field,
                names.length == 1
                        ? "is required"
                        : "is required (or " + String.join(", ", List.of(names).subList(1, names.length)) + ")"));
    }

    private static void oneOf(
            Map<String, String> settings, String name, Set<String> allowed, String path, List<FieldError> errors) {
        String value = settings.get(name);
        if (value != null && !allowed.contains(value.trim().toLowerCase(Locale.ROOT))) {
            errors.add(new FieldError(path + '.' + name, "must be one of " + new TreeSet<>(allowed)));
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
