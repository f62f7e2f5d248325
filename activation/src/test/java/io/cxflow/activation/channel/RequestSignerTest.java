package io.cxflow.activation.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestSignerTest {

    @Test
    void shouldMatchTheRfc4231TestVectorWhenSigning() {
        // RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?"
        RequestSigner signer = new RequestSigner("Jefe");

        String signature = signer.sign("what do ya want for nothing?".getBytes(StandardCharsets.UTF_8));

        assertThat(signature).isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void shouldVerifyOwnSignatureAndRejectAlteredBody() {
        RequestSigner signer = new RequestSigner("s3cret");
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        String signature = signer.sign(body);

        assertThat(signer.verify(body, signature)).isTrue();
        assertThat(signer.verify("{\"a\":2}".getBytes(StandardCharsets.UTF_8), signature))
                .isFalse();
        assertThat(new RequestSigner("other").verify(body, signature)).isFalse();
        assertThat(signer.verify(body, null)).isFalse();
    }

    @Test
    void shouldRefuseEmptySecret() {
        assertThatThrownBy(() -> new RequestSigner("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldNotRevealTheSecretWhenPrinted() {
        assertThat(new RequestSigner("s3cret").toString()).doesNotContain("s3cret");
    }
}
