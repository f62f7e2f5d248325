package io.cxflow.activation.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UnsubscribeLinksTest {

    private final UnsubscribeLinks links =
            new UnsubscribeLinks(URI.create("https://cx.example.com/u?list=news"), Optional.empty(), "s3cret");

    @Test
    void shouldVerifyItsOwnTokensAndNameTheCustomer() {
        String token = links.token("cus_ABC:1");

        assertThat(links.verify(token)).contains("cus_ABC:1");
        assertThat(links.httpsLink("cus_ABC:1")).isEqualTo("https://cx.example.com/u?list=news&token=" + token);
        assertThat(links.listUnsubscribeHeader("cus_ABC:1"))
                .isEqualTo("<https://cx.example.com/u?list=news&token=" + token + ">");
    }

    @Test
    void shouldRefuseTokensOfAnotherSecretOrAnotherCustomer() {
        String token = links.token("cus_1");
        UnsubscribeLinks other =
                new UnsubscribeLinks(URI.create("https://cx.example.com/u"), Optional.empty(), "other");
        String forged = links.token("cus_2").substring(0, links.token("cus_2").indexOf('.'))
                + token.substring(token.indexOf('.'));

        assertThat(other.verify(token)).isEmpty();
        assertThat(links.verify(forged)).isEmpty();
        assertThat(links.verify("garbage")).isEmpty();
        assertThat(links.verify("a.%%%")).isEmpty();
        assertThat(links.verify(null)).isEmpty();
    }
}
