package io.cxflow.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Waits for a cxflow service's {@code GET /health/ready} to answer 200. */
public final class Readiness {

    private Readiness() {}

    /**
     * @param baseUrl {@code http://host:port} of the service
     * @throws AssertionError when it is not ready within {@code timeout}, with the last status
     */
    public static void await(String baseUrl, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        try (HttpClient http = HttpClient.newHttpClient()) {
            while (System.nanoTime() < deadline) {
                try {
                    int status = http.send(
                                    HttpRequest.newBuilder(URI.create(baseUrl + "/health/ready"))
                                            .timeout(Duration.ofSeconds(5))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode();
                    if (status == 200) {
                        return;
                    }
                    last = "HTTP " + status;
                } catch (IOException e) {
                    last = e.toString();
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError(baseUrl + " was not ready within " + timeout + " (last: " + last + ")");
    }
}
