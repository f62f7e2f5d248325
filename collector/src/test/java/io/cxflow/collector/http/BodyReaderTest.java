package io.cxflow.collector.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class BodyReaderTest {

    @Test
    void shouldReadABodyUpToTheLimit() throws Exception {
        byte[] body = "x".repeat(100).getBytes(StandardCharsets.UTF_8);

        assertThat(BodyReader.read(new ByteArrayInputStream(body), null, -1, 100))
                .isEqualTo(body);
    }

    @Test
    void shouldRefuseABodyOverTheLimitWhetherDeclaredOrNot() {
        byte[] body = new byte[101];

        assertThatThrownBy(() -> BodyReader.read(new ByteArrayInputStream(body), null, 101, 100))
                .isInstanceOf(BodyReader.TooLargeException.class);
        assertThatThrownBy(() -> BodyReader.read(new ByteArrayInputStream(body), null, -1, 100))
                .isInstanceOf(BodyReader.TooLargeException.class);
    }

    @Test
    void shouldInflateGzipBodies() throws Exception {
        byte[] body = "{\"userId\":\"u\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(BodyReader.read(new ByteArrayInputStream(gzip(body)), "gzip", -1, 100))
                .isEqualTo(body);
    }

    @Test
    void shouldStopInflatingAGzipBombAtTheLimit() throws Exception {
        byte[] bomb = gzip(new byte[50 * 1024 * 1024]);

        assertThat(bomb.length).isLessThan(100_000);
        assertThatThrownBy(() -> BodyReader.read(new ByteArrayInputStream(bomb), "gzip", bomb.length, 100_000))
                .isInstanceOf(BodyReader.TooLargeException.class);
    }

    @Test
    void shouldRefuseCorruptGzipAndUnknownEncodings() {
        byte[] notGzip = "{}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> BodyReader.read(new ByteArrayInputStream(notGzip), "gzip", -1, 100))
                .isInstanceOfSatisfying(BodyReader.BadEncodingException.class, e -> assertThat(e.unsupported())
                        .isFalse());
        assertThatThrownBy(() -> BodyReader.read(new ByteArrayInputStream(notGzip), "br", -1, 100))
                .isInstanceOfSatisfying(BodyReader.BadEncodingException.class, e -> assertThat(e.unsupported())
                        .isTrue());
    }

    static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    @Test
    void shouldDropWhatIsLeftOfARefusedBodyUpToTheBound() throws Exception {
        java.io.ByteArrayInputStream rest = new java.io.ByteArrayInputStream(new byte[600 * 1024]);
        assertThat(BodyReader.drain(rest)).isEqualTo(600 * 1024);
        assertThat(rest.read()).isEqualTo(-1);

        long[] served = {0};
        java.io.InputStream endless = new java.io.InputStream() {
            @Override
            public int read() {
                served[0]++;
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                served[0] += len;
                return len;
            }
        };
        assertThat(BodyReader.drain(endless)).isEqualTo(BodyReader.DRAIN_LIMIT);
        assertThat(served[0]).isEqualTo(BodyReader.DRAIN_LIMIT);

        java.io.InputStream broken = new java.io.InputStream() {
            @Override
            public int read() throws java.io.IOException {
                throw new java.io.IOException("reset by peer");
            }
        };
        assertThat(BodyReader.drain(broken)).isZero();
    }
}
