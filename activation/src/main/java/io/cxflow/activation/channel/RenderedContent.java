package io.cxflow.activation.channel;

import java.util.Map;
import java.util.TreeMap;

/**
 * A message ready to send, as rendered from a step's template. Which parts a channel uses:
 *
 * <ul>
 *   <li>email: {@code subject}, {@code text} (the {@code text/plain} part), {@code html} (the {@code
 *       text/html} part);
 *   <li>SMS: {@code text};
 *   <li>push: {@code subject} (the title), {@code text} (the body), {@code data};
 *   <li>agent task: {@code subject} (the task title), {@code text} (the instructions), {@code data}.
 * </ul>
 *
 * @param subject the email subject, push title or task title; may be {@code null}
 * @param text the plain-text body; may be {@code null}
 * @param html the HTML body; may be {@code null}
 * @param data extra key-value pairs for the receiving app or person (sorted by key)
 */
public record RenderedContent(String subject, String text, String html, Map<String, String> data) {

    /** The step settings that {@link #fromSettings} reads, for steps that carry literal content. */
    public static final String SUBJECT = "subject";

    public static final String TITLE = "title";
    public static final String TEXT = "text";
    public static final String BODY = "body";
    public static final String HTML = "html";
    /** Prefix of step settings copied into {@link #data()}: {@code data.coupon=WELCOME10}. */
    public static final String DATA_PREFIX = "data.";

    public RenderedContent {
        data = data == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(data));
    }

    /**
     * Literal content from a step's settings, used when the engine rendered no template: {@code subject}
     * (else {@code title}), {@code text} (else {@code body}), {@code html}, and every {@code data.<name>}
     * setting as {@code data[<name>]}.
     */
    public static RenderedContent fromSettings(Map<String, String> settings) {
        Map<String, String> data = new TreeMap<>();
        settings.forEach((k, v) -> {
            if (k.startsWith(DATA_PREFIX) && k.length() > DATA_PREFIX.length()) {
                data.put(k.substring(DATA_PREFIX.length()), v);
            }
        });
        return new RenderedContent(
                firstNonBlank(settings.get(SUBJECT), settings.get(TITLE)),
                firstNonBlank(settings.get(TEXT), settings.get(BODY)),
                blankToNull(settings.get(HTML)),
                data);
    }

    /** The rendered content of {@code context}, else literal content from {@code settings}. */
    public static RenderedContent resolve(SendContext context, Map<String, String> settings) {
        return context.renderedContent().orElseGet(() -> fromSettings(settings));
    }

    public boolean hasSubject() {
        return subject != null && !subject.isBlank();
    }

    public boolean hasText() {
        return text != null && !text.isBlank();
    }

    public boolean hasHtml() {
        return html != null && !html.isBlank();
    }

    private static String firstNonBlank(String a, String b) {
        return a != null && !a.isBlank() ? a : blankToNull(b);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    @Override
    public String toString() {
        return "RenderedContent[subject=" + hasSubject() + ", text=" + hasText() + ", html=" + hasHtml() + ", data="
                + data.keySet() + "]";
    }
}
