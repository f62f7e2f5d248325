package io.cxflow.activation.channel.email;

import java.util.regex.Pattern;

/**
 * The text and HTML parts of an email with the unsubscribe link in place: where a part contains
 * {@link #UNSUBSCRIBE_URL_PLACEHOLDER}, the link replaces it; otherwise a short footer with the link is
 * appended (in HTML, before {@code </body>} when there is one). When only HTML is given, the text part
 * is derived from it; when only text is given, the HTML part is the escaped text.
 *
 * @param text the {@code text/plain} part
 * @param html the {@code text/html} part
 */
public record EmailBody(String text, String html) {

    /** Where templates want the unsubscribe link; replaced in both parts. */
    public static final String UNSUBSCRIBE_URL_PLACEHOLDER = "{{unsubscribeUrl}}";

    private static final Pattern BODY_END = Pattern.compile("(?i)</body\\s*>");
    private static final Pattern SCRIPT_OR_STYLE = Pattern.compile("(?is)<(script|style)\\b.*?</\\1\\s*>");
    private static final Pattern LINE_BREAKS =
            Pattern.compile("(?i)<br\\s*/?>|</p\\s*>|</div\\s*>|</h[1-6]\\s*>|</li\\s*>|</tr\\s*>");
    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final Pattern BLANK_LINES = Pattern.compile("\\n[ \\t]*\\n(?:[ \\t]*\\n)+");

    /**
     * The parts for {@code text} and {@code html} (either may be {@code null}, not both) with the
     * unsubscribe link {@code unsubscribeUrl}.
     */
    public static EmailBody of(String text, String html, String unsubscribeUrl) {
        if (text == null && html == null) {
            throw new IllegalArgumentException("an email needs a text or an HTML body");
        }
        String plain = text != null ? text : textOf(html);
        String rich = html != null ? html : htmlOf(text);
        return new EmailBody(withTextLink(plain, unsubscribeUrl), withHtmlLink(rich, unsubscribeUrl));
    }

    private static String withTextLink(String text, String url) {
        if (text.contains(UNSUBSCRIBE_URL_PLACEHOLDER)) {
            return text.replace(UNSUBSCRIBE_URL_PLACEHOLDER, url);
        }
        String trimmed = text.stripTrailing();
        return trimmed + "\n\n--\nUnsubscribe: " + url + "\n";
    }

    private static String withHtmlLink(String html, String url) {
        String escaped = escape(url);
        if (html.contains(UNSUBSCRIBE_URL_PLACEHOLDER)) {
            return html.replace(UNSUBSCRIBE_URL_PLACEHOLDER, escaped);
        }
        String footer = "<p style=\"font-size:12px;color:#666666\"><a href=\"" + escaped + "\">Unsubscribe</a></p>";
        return insertBeforeBodyEnd(html, footer);
    }

    /** {@code html} with {@code snippet} before its last {@code </body>}, or appended when it has none. */
    static String insertBeforeBodyEnd(String html, String snippet) {
        var end = BODY_END.matcher(html);
        int at = -1;
        while (end.find()) {
            at = end.start();
        }
        return at < 0 ? html + "\n" + snippet + "\n" : html.substring(0, at) + snippet + "\n" + html.substring(at);
    }

    /** A readable text version of {@code html}: scripts and styles dropped, tags removed, entities decoded. */
    static String textOf(String html) {
        String s = SCRIPT_OR_STYLE.matcher(html).replaceAll("");
        s = LINE_BREAKS.matcher(s).replaceAll("\n");
        s = TAG.matcher(s).replaceAll("");
        s = s.replace("&nbsp;", " ")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&");
        s = BLANK_LINES.matcher(s.replace("\r\n", "\n")).replaceAll("\n\n");
        return s.strip();
    }

    static String htmlOf(String text) {
        return "<!DOCTYPE html><html><body><p>"
                + escape(text).replace("\r\n", "\n").replace("\n", "<br>\n") + "</p></body></html>";
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "EmailBody[text=" + text.length() + " chars, html=" + html.length() + " chars]";
    }
}
