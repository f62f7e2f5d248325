package io.cxflow.activation.channel.email;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Adds tracking to the HTML part of an email: every {@code http(s)} link of an {@code <a>} or {@code
 * <area>} tag is replaced by its click-tracking link ({@link TrackingLinks#clickUrl}), and the open
 * pixel is added before the last {@code </body>} (at the end when there is none). Left alone: links
 * with another scheme ({@code mailto:}, {@code tel:}, anchors, relative links), the links in {@code
 * untracked} (the unsubscribe link), and links that already are tracking links. Attribute values are
 * read with their HTML character references decoded, and written back escaped, so a link like {@code
 * ?a=1&amp;b=2} is tracked as {@code ?a=1&b=2}. The text part is not changed. A pure function: the
 * same input gives the same bytes.
 */
public final class TrackedHtml {

    private static final Pattern LINK_TAG = Pattern.compile("(?is)<(?:a|area)\\b[^>]*>");
    private static final Pattern HREF =
            Pattern.compile("(?is)(\\shref\\s*=\\s*)(?:\"([^\"]*)\"|'([^']*)'|([^\\s\"'>]+))");
    private static final Pattern REFERENCE = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]+);");

    private TrackedHtml() {}

    /** {@code html} with tracked links and the pixel of {@code target}. */
    public static String apply(String html, TrackingLinks links, TrackingLinks.Target target, Set<String> untracked) {
        Objects.requireNonNull(html, "html");
        Objects.requireNonNull(links, "links");
        Objects.requireNonNull(target, "target");
        String tracked = rewriteLinks(html, links, target, untracked);
        String pixel = "<img src=\"" + EmailBody.escape(links.pixelUrl(target))
                + "\" width=\"1\" height=\"1\" alt=\"\" style=\"display:block;width:1px;height:1px;border:0\">";
        return EmailBody.insertBeforeBodyEnd(tracked, pixel);
    }

    static String rewriteLinks(String html, TrackingLinks links, TrackingLinks.Target target, Set<String> untracked) {
        Matcher tags = LINK_TAG.matcher(html);
        StringBuilder out = new StringBuilder(html.length() + 256);
        while (tags.find()) {
            tags.appendReplacement(out, Matcher.quoteReplacement(rewriteTag(tags.group(), links, target, untracked)));
        }
        tags.appendTail(out);
        return out.toString();
    }

    private static String rewriteTag(
            String tag, TrackingLinks links, TrackingLinks.Target target, Set<String> untracked) {
        Matcher href = HREF.matcher(tag);
        if (!href.find()) {
            return tag;
        }
        String raw = href.group(2) != null ? href.group(2) : href.group(3) != null ? href.group(3) : href.group(4);
        String url = decode(raw).trim();
        if (!isHttp(url) || untracked.contains(url) || links.isTrackingUrl(url)) {
            return tag;
        }
        String replacement = href.group(1) + '"' + EmailBody.escape(links.clickUrl(target, url)) + '"';
        return tag.substring(0, href.start()) + replacement + tag.substring(href.end());
    }

    private static boolean isHttp(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        return (lower.startsWith("http://") || lower.startsWith("https://"))
                && url.length() > "https://".length()
                && url.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
    }

    /** {@code value} with its HTML character references decoded (the common named ones and numeric ones). */
    static String decode(String value) {
        if (value.indexOf('&') < 0) {
            return value;
        }
        Matcher m = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder(value.length());
        while (m.find()) {
            String name = m.group(1);
            String decoded = reference(name);
            m.appendReplacement(out, Matcher.quoteReplacement(decoded == null ? m.group() : decoded));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String reference(String name) {
        if (name.startsWith("#")) {
            try {
                int code = name.length() > 1 && (name.charAt(1) == 'x' || name.charAt(1) == 'X')
                        ? Integer.parseInt(name.substring(2), 16)
                        : Integer.parseInt(name.substring(1));
                return Character.isValidCodePoint(code) ? new String(Character.toChars(code)) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return switch (name) {
            case "amp" -> "&";
            case "lt" -> "<";
            case "gt" -> ">";
            case "quot" -> "\"";
            case "apos" -> "'";
            case "nbsp" -> "\u00a0";
            default -> null;
        };
    }
}
