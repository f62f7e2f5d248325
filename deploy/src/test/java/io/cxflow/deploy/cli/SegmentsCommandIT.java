package io.cxflow.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.analytics.AnalyticsConfig;
import io.cxflow.analytics.AnalyticsService;
import io.cxflow.analytics.identity.CustomerIds;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.platform.PlatformContext;
import io.cxflow.platform.config.ConfigSource;
import io.cxflow.testkit.CxIntegrationTest;
import io.cxflow.testkit.TestEvents;
import io.cxflow.testkit.TestPlatform;
import io.cxflow.testkit.TestPlatform.KeyValue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cx segments} against a running analytics service on the embedded broker. */
@CxIntegrationTest
class SegmentsCommandIT {

    private static final String TOKEN = "cli-it-token";
    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    private String url;

    @Test
    void shouldPutListPreviewPageAndDeleteSegments(TestPlatform platform, @TempDir Path dir) throws Exception {
        PlatformContext context = platform.createTopics().context(TOKEN);
        AnalyticsConfig config = AnalyticsConfig.from(ConfigSource.of(Map.of("analytics.port", "0")))
                .withApplicationId(platform.uniqueId("analytics"))
                .withStateDir(dir.resolve("state"));
        try (AnalyticsService analytics = AnalyticsService.start(config, context)) {
            url = analytics.baseUrl();
            awaitReady();
            platform.produce(context.topics().events(), order("u-1", 1), order("u-2", 1), order("u-2", 2));
            String one = CustomerIds.derive("userId:u-1");
            String two = CustomerIds.derive("userId:u-2");

            // a wrong token and a condition that does not compile are clear errors
            CxRun wrongToken = cx("segments", "list", "--url", url, "--token", "nope");
            assertThat(wrongToken.exitCode()).isEqualTo(1);
            assertThat(wrongToken.err()).contains("refused the admin token");
            CxRun invalid = cx("segments", "put", "buyers", "--condition", "profile.orders.cout >= 1");
            assertThat(invalid.exitCode()).isEqualTo(1);
            assertThat(invalid.err()).contains("line 1, column").contains("cout");

            // put from a file, with an option overriding the file's name
            Path file = Files.writeString(
                    dir.resolve("buyers.json"),
                    "{\"name\": \"Buyers\", \"condition\": \"profile.orders.count >= 1\", \"tags\": [\"sales\"]}");
            CxRun put = cx("segments", "put", "buyers", "--file", file.toString(), "--name", "All buyers");
            assertThat(put.exitCode()).as(put.err()).isZero();
            assertThat(put.out())
                    .contains("created segment buyers (version 1)")
                    .contains("All buyers")
                    .contains("sales");
            CxRun again = cx("segments", "put", "buyers", "-c", "profile.orders.count >= 2", "--name", "All buyers");
            assertThat(again.out()).contains("saved segment buyers (version 2)");

            // list shows it with its live size once the topology counted it
            CxRun list = awaitList(
                    out -> out.contains("buyers") && sizeColumn(out, "buyers").equals("1"));
            assertThat(list.out()).contains("engaged").contains("config").contains("profile.orders.count >= 2");
            assertThat(cx("segments", "get", "buyers").out()).containsPattern("version:\\s+2\\n");

            // preview counts without saving; members lists the member
            CxRun preview = cx("segments", "preview", "--condition", "profile.orders.count >= 1");
            assertThat(preview.exitCode()).as(preview.err()).isZero();
            assertThat(preview.out())
                    .contains("2 customers match")
                    .contains(one)
                    .contains(two);
            assertThat(cx("segments", "members", "buyers", "--all").out().strip())
                    .isEqualTo(two);

            // delete, then get is a clear not-found
            assertThat(cx("segments", "delete", "buyers").out()).contains("deleted segment buyers");
            CxRun gone = cx("segments", "get", "buyers");
            assertThat(gone.exitCode()).isEqualTo(1);
            assertThat(gone.err()).contains("no segment buyers").contains("404");
        }
    }

    private CxRun cx(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.contains("--url")) {
            all.addAll(List.of("--url", url, "--token", TOKEN));
        }
        return CxRun.of(all.toArray(String[]::new));
    }

    private CxRun awaitList(java.util.function.Predicate<String> done) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(40);
        CxRun last = null;
        while (Instant.now().isBefore(deadline)) {
            last = cx("segments", "list");
            if (last.exitCode() == 0 && done.test(last.out())) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("cx segments list never showed the expected size; last: " + last);
    }

    /** The SIZE column of a segment's row in the table of {@code cx segments list}. */
    private static String sizeColumn(String table, String id) {
        for (String line : table.split("\n")) {
            String[] cells = line.trim().split("\\s{2,}");
            if (cells.length > 2 && cells[0].equals(id)) {
                return cells[2];
            }
        }
        return "";
    }

    private void awaitReady() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plusSeconds(40);
        while (http.send(
                                HttpRequest.newBuilder(URI.create(url + "/health/ready"))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                != 200) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("analytics was not ready in time");
            }
            Thread.sleep(100);
        }
    }

    private static KeyValue<TouchpointEvent> order(String userId, int minute) {
        return KeyValue.of(
                userId,
                TestEvents.track(userId, null, "Order Completed", T0.plusSeconds(60L * minute))
                        .setProperties("{\"revenue\":10,\"currency\":\"EUR\"}")
                        .build());
    }
}
