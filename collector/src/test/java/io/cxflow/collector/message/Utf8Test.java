package io.cxflow.collector.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {

    @Test
    void shouldAcceptEveryPlaneOfUnicode() {
        String text = "{\"a\":\"plain, ñ, €, 日本, 😀\"}";

        assertThat(Utf8.isValid(text.getBytes(StandardCharsets.UTF_8))).isTrue();
    }

    @Test
    void shouldRefuseALoneContinuationByte() {
        assertThat(Utf8.firstInvalid(bytes(0x7B, 0x80, 0x7D), 0, 3)).isEqualTo(1);
    }

    @Test
    void shouldRefuseOverlongEncodings() {
        assertThat(Utf8.isValid(bytes(0xC0, 0xAF))).isFalse();
        assertThat(Utf8.isValid(bytes(0xE0, 0x80, 0xAF))).isFalse();
        assertThat(Utf8.isValid(bytes(0xF0, 0x80, 0x80, 0xAF))).isFalse();
    }

    @Test
    void shouldRefuseEncodedSurrogatesAndCodePointsAboveTheLimit() {
        assertThat(Utf8.isValid(bytes(0xED, 0xA0, 0x80))).isFalse();
        assertThat(Utf8.isValid(bytes(0xF4, 0x90, 0x80, 0x80))).isFalse();
    }

    @Test
    void shouldRefuseATruncatedSequenceAtTheEnd() {
        assertThat(Utf8.isValid(bytes(0x22, 0xE2, 0x82))).isFalse();
    }

    @Test
    void shouldRefuseNulBytesSoUtf16IsNotMistakenForJson() {
        assertThat(Utf8.isValid("{}".getBytes(StandardCharsets.UTF_16LE))).isFalse();
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }
}
