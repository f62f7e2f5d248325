package io.cxflow.deploy.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.deploy.demo.DemoWebhookReceiver;
import io.cxflow.deploy.demo.LiveFigures;
import io.cxflow.deploy.demo.Scenario;
import io.cxflow.deploy.demo.TrafficDriver;
import io.cxflow.deploy.local.LocalStack;
import io.cxflow.platform.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cx demo}: {@code cx up} plus a realistic omnichannel scenario and live figures. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Start everything like 'cx up', then play a realistic omnichannel scenario through the collector's HTTP"
                    + " API: customers browse anonymously on web and mobile, log in, buy online and in store, call the"
                    + " call center and open emails; some abandon their carts.",
            "A workflow sends a webhook to a local receiver when a customer enters the 'engaged' segment. Live figures"
                    + " are printed every few seconds; Ctrl-C stops everything."
        })
public final class DemoCommand implements Callable<Integer> {

    /** The segment the demo's workflow listens to: one of the analytics service's built-in segments. */
    static final String DEMO_SEGMENT = "engaged";

    @Mixin
    StackOptions stack;

    @Option(
            names = "--rate",
            paramLabel = "EVENTS_PER_S",
            defaultValue = "20",
            description = "events per second (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(
            names = "--customers",
            paramLabel = "N",
            defaultValue = "200",
            description = "distinct customers in the scenario (default: ${DEFAULT-VALUE})")
    int customers;

    @Option(
            names = "--events",
            paramLabel = "N",
            defaultValue = "0",
            description = "stop sending after N events; 0 = until Ctrl-C (default: ${DEFAULT-VALUE})")
    long events;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "42",
            description = "random seed of the scenario (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(
            names = "--webhook-port",
            paramLabel = "PORT",
            defaultValue = "8099",
            description = "port of the demo's webhook receiver (default: ${DEFAULT-VALUE})")
    int webhookPort;

    @Option(
            names = "--report-every",
            paramLabel = "DURATION",
            defaultValue = "5s",
            description = "how often to print live figures (default: ${DEFAULT-VALUE})")
    String reportEvery;

    @Override
    public Integer call() throws Exception {
        if (rate <= 0 || customers < 1 || events < 0) {
            throw new IllegalArgumentException("--rate must be > 0, --customers >= 1 and --events >= 0");
        }
        Duration every = parseSeconds(reportEvery);
        LocalStack local = LocalStack.start(stack.toOptions(), System.out);
        DemoWebhookReceiver receiver = null;
        LiveFigures figures = null;
        TrafficDriver traffic = null;
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            stop.countDown();
                            try {
                                stopped.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "cx-demo-shutdown"));
        try {
            receiver = DemoWebhookReceiver.start("127.0.0.1", webhookPort);
            ObjectMapper json = Json.mapper();
            putWorkflow(local, json, receiver.url());
            putExampleSegments(local);
            figures = new LiveFigures(local.platform());
            Scenario scenario = new Scenario(json, customers, seed);
            traffic = new TrafficDriver(scenario, json, local.collector().baseUrl(), rate);
            System.out.println(local.summary());
            System.out.printf(
                    "  demo: %d customers at %.0f events/s; workflow 'demo-engaged-webhook' posts to %s when a customer"
                            + " enters segment '%s'%n%n",
                    customers, rate, receiver.url(), DEMO_SEGMENT);
            traffic.start(events);
            while (!stop.await(every.toMillis(), TimeUnit.MILLISECONDS)) {
                System.out.println(line(traffic, figures, receiver));
                if (traffic.finished(events)) {
                    System.out.println("cx: all " + events + " events sent; still running, Ctrl-C to stop.");
                    events = 0;
                }
            }
            System.out.println("\ncx: stopping ...");
            return 0;
        } finally {
            closeQuietly(traffic);
            closeQuietly(figures);
            closeQuietly(receiver);
            local.close();
            stopped.countDown();
        }
    }

    private static String line(TrafficDriver traffic, LiveFigures figures, DemoWebhookReceiver receiver) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                "events sent %d, accepted %d, refused %d | profiles %d | segments",
                traffic.sent(), traffic.accepted(), traffic.refused() + traffic.failed(), figures.profiles()));
        Map<String, Long> sizes = figures.segmentSizes();
        if (sizes.isEmpty()) {
            sb.append(" -");
        }
        sizes.forEach((id, size) -> sb.append(' ').append(id).append('=').append(size));
        sb.append(" | activations ").append(figures.activations());
        sb.append(" | webhooks received ").append(receiver.received());
        if (receiver.duplicates() > 0) {
            sb.append(" (").append(receiver.duplicates()).append(" repeated keys)");
        }
        return sb.toString();
    }

    private static void putWorkflow(LocalStack local, ObjectMapper json, String url) throws Exception {
        ObjectNode body = json.createObjectNode();
        body.put("name", "Demo: webhook when a customer becomes engaged");
        body.put("segment", DEMO_SEGMENT);
        body.put("on", "ENTERED");
        body.putArray("steps")
                .addObject()
                .putObject("send")
                .put("channel", "webhook")
                .put("url", url);
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(local.activation().baseUrl() + "/v1/workflows/demo-engaged-webhook"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + local.platform().common().adminToken())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                .build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(
                        "activation refused the demo workflow: " + response.statusCode() + " " + response.body());
            }
        }
    }

    /** The shipped example segments (resources io/cxflow/deploy/segments/<id>.json). */
    static final List<String> EXAMPLE_SEGMENTS =
            List.of("cart-abandoners", "high-value", "lapsed", "multichannel", "engaged-email", "vip");

    /** Defines the shipped example segments through the analytics API (each a new version if it exists). */
    private static void putExampleSegments(LocalStack local) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (String id : EXAMPLE_SEGMENTS) {
                byte[] body;
                try (var in = DemoCommand.class.getResourceAsStream("/io/cxflow/deploy/segments/" + id + ".json")) {
                    if (in == null) {
                        throw new IllegalStateException("example segment " + id + " is missing from the build");
                    }
                    body = in.readAllBytes();
                }
                HttpRequest request = HttpRequest.newBuilder(
                                URI.create(local.analytics().baseUrl() + "/v1/segments/" + id))
                        .timeout(Duration.ofSeconds(30))
                        .header(
                                "Authorization",
                                "Bearer " + local.platform().common().adminToken())
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 != 2) {
                    throw new IllegalStateException("analytics refused the example segment " + id + ": "
                            + response.statusCode() + " " + response.body());
                }
            }
        }
    }

    static Duration parseSeconds(String text) {
        String t = text.trim().toLowerCase();
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            return Duration.ofSeconds(Long.parseLong(t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--report-every must look like 5s or 500ms, not '" + text + "'");
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                // stopping anyway
            }
        }
    }
}
