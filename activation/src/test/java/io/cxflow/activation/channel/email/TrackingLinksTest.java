package io.cxflow.activation.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TrackingLinksTest {

    private static final TrackingLinks LINKS = new TrackingLinks("https://t.shop.example/", "track-secret");
    private static final TrackingLinks.Target TARGET = new TrackingLinks.Target("welcome:mail:cus_42:3", "high-value");
    private static final String URL = "https://shop.example/sale?a=1&b=two words";

    private static String pixelToken(String pixelUrl) {
        assertThat(pixelUrl).startsWith("https://t.shop.example/t/o/").endsWith(".gif");
        return pixelUrl.substring("https://t.shop.example/t/o/".length(), pixelUrl.length() - ".gif".length());
    }

    private static String clickToken(String clickUrl) {
        String rest = clickUrl.substring("https://t.shop.example/t/c/".length());
        return rest.substring(0, rest.indexOf('?'));
    }

    private static String clickTarget(String clickUrl) {
        return URLDecoder.decode(clickUrl.substring(clickUrl.indexOf("?u=") + 3), StandardCharsets.UTF_8);
    }

    @Test
    void shouldGiveTheDecisionBackFromAPixelToken() {
        String pixel = LINKS.pixelUrl(TARGET);

        assertThat(LINKS.verifyOpen(pixelToken(pixel))).contains(TARGET);
        assertThat(LINKS.pixelUrl(TARGET)).isEqualTo(pixel);
    }

    @Test
    void shouldRedirectOnlyToTheUrlAClickTokenWasIssuedFor() {
        String click = LINKS.clickUrl(TARGET, URL);
        String token = clickToken(click);

        assertThat(clickTarget(click)).isEqualTo(URL);
        assertThat(LINKS.verifyClick(token, URL)).contains(TARGET);
        assertThat(LINKS.verifyClick(token, "https://evil.example/")).isEmpty();
        assertThat(LINKS.verifyClick(token, URL + "x")).isEmpty();
        assertThat(LINKS.verifyClick(token, null)).isEmpty();
    }

    @Test
    void shouldNotAcceptATokenForAnotherPurposeOrSecretOrPayload() {
        String open = pixelToken(LINKS.pixelUrl(TARGET));
        String click = clickToken(LINKS.clickUrl(TARGET, URL));

        assertThat(LINKS.verifyClick(open, URL)).isEmpty();
        assertThat(LINKS.verifyOpen(click)).isEmpty();
        assertThat(new TrackingLinks("https://t.shop.example", "other").verifyOpen(open))
                .isEmpty();

        String mac = open.substring(open.indexOf('.') + 1);
        String forged = Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString("high-value\nwelcome:mail:cus_43:3".getBytes(StandardCharsets.UTF_8))
                + "." + mac;
        assertThat(LINKS.verifyOpen(forged)).isEmpty();
        assertThat(LINKS.verifyOpen("not-a-token")).isEmpty();
        assertThat(LINKS.verifyOpen("a.b.c")).isEmpty();
        assertThat(LINKS.verifyOpen("!!!.???")).isEmpty();
        assertThat(LINKS.verifyOpen(null)).isEmpty();
    }

    @Test
    void shouldRecogniseItsOwnLinks() {
        assertThat(LINKS.isTrackingUrl(LINKS.clickUrl(TARGET, URL))).isTrue();
        assertThat(LINKS.isTrackingUrl(LINKS.pixelUrl(TARGET))).isTrue();
        assertThat(LINKS.isTrackingUrl(URL)).isFalse();
        assertThat(LINKS.toString()).doesNotContain("track-secret");
    }
}
