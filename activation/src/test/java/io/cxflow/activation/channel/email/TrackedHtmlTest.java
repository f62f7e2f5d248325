package io.cxflow.activation.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class TrackedHtmlTest {

    private static final TrackingLinks LINKS = new TrackingLinks("https://t.shop.example", "track-secret");
    private static final TrackingLinks.Target TARGET = new TrackingLinks.Target("welcome:mail:cus_42:3", "high-value");
    private static final String UNSUBSCRIBE = "https://cx.shop.example/v1/unsubscribe?token=abc.def";

    private static String tracked(String url) {
        return EmailBody.escape(LINKS.clickUrl(TARGET, url));
    }

    @Test
    void shouldTrackEveryHttpLinkAndAddThePixelBeforeTheBodyEnd() {
        String html = "<html><body><p><a href=\"https://shop.example/a\">A</a>"
                + "<a class='x' href='http://shop.example/b'>B</a>"
                + "<A HREF=https://shop.example/c>C</A>"
                + "<map><area shape=\"rect\" href=\"https://shop.example/d\"></map></p></body></html>";

        String out = TrackedHtml.apply(html, LINKS, TARGET, Set.of());

        assertThat(out)
                .contains("<a href=\"" + tracked("https://shop.example/a") + "\">A</a>")
                .contains("<a class='x' href=\"" + tracked("http://shop.example/b") + "\">B</a>")
                .contains("<A HREF=\"" + tracked("https://shop.example/c") + "\">C</A>")
                .contains("<area shape=\"rect\" href=\"" + tracked("https://shop.example/d") + "\">")
                .doesNotContain("href=\"https://shop.example/")
                .endsWith("<img src=\"" + EmailBody.escape(LINKS.pixelUrl(TARGET))
                        + "\" width=\"1\" height=\"1\" alt=\"\" style=\"display:block;width:1px;height:1px;border:0\">\n"
                        + "</body></html>");
    }

    @Test
    void shouldTrackTheDecodedUrlOfAnAttributeWithCharacterReferences() {
        String out = TrackedHtml.apply(
                "<a href=\"https://shop.example/s?a=1&amp;b=2&#38;c=3\">S</a>", LINKS, TARGET, Set.of());

        assertThat(out).contains("href=\"" + tracked("https://shop.example/s?a=1&b=2&c=3") + "\"");
    }

    @Test
    void shouldLeaveOtherSchemesTheUnsubscribeLinkAndTrackingLinksAlone() {
        String alreadyTracked = EmailBody.escape(LINKS.clickUrl(TARGET, "https://shop.example/x"));
        String html = "<body><a href=\"mailto:help@shop.example\">mail</a><a href=\"tel:+39333\">call</a>"
                + "<a href=\"#top\">top</a><a href=\"/relative\">rel</a><a name=\"anchor\">n</a>"
                + "<a data-href=\"https://shop.example/data\">d</a>"
                + "<a href=\"" + EmailBody.escape(UNSUBSCRIBE) + "\">Unsubscribe</a>"
                + "<a href=\"" + alreadyTracked + "\">x</a></body>";

        String out = TrackedHtml.rewriteLinks(html, LINKS, TARGET, Set.of(UNSUBSCRIBE));

        assertThat(out).isEqualTo(html);
    }

    @Test
    void shouldAppendThePixelWhenTheHtmlHasNoBodyEnd() {
        String out = TrackedHtml.apply("<p>Hi</p>", LINKS, TARGET, Set.of());

        assertThat(out)
                .startsWith("<p>Hi</p>\n<img src=\"https://t.shop.example/t/o/")
                .endsWith(">\n");
    }

    @Test
    void shouldGiveTheSameBytesForTheSameDecision() {
        String html = "<body><a href=\"https://shop.example/a\">A</a></body>";

        assertThat(TrackedHtml.apply(html, LINKS, TARGET, Set.of()))
                .isEqualTo(TrackedHtml.apply(html, LINKS, TARGET, Set.of()));
    }
}
