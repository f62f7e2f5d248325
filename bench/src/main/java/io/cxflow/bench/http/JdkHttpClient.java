package io.cxflow.bench.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The JDK's {@link HttpClient} (HTTP/1.1), one client and so one connection per load-driver connection: the
 * reference the lean {@link SocketHttpClient} is compared with.
 */
public final class JdkHttpClient implements LoadClient {

    private final HttpClient client;
    private final String baseUrl;
    private final Duration timeout;
    private String last = "";

    private JdkHttpClient(String baseUrl, Duration timeout) {
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
        this.baseUrl = baseUrl;
        this.timeout = timeout;
    }

    public static Factory factory(String baseUrl, Duration timeout) {
        return new Factory() {
            @Override
            public LoadClient open() {
                return new JdkHttpClient(baseUrl, timeout);
            }

            @Override
            public String name() {
                return "jdk-httpclient";
            }
        };
    }

    @Override
    public int post(String path, String authorization, byte[] body) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout)
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            byte[] b = response.body();
            last = new String(b, 0, Math.min(b.length, 512), StandardCharsets.UTF_8);
            return response.statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public String lastResponse() {
        return last;
    }

    @Override
    public void close() {
        client.close();
    }
}
