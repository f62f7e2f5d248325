package io.cxflow.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.platform.config.ConfigException;
import io.cxflow.platform.config.ConfigKey;
import io.cxflow.platform.json.Json;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cx activations}: operate on what activation did, through the activation API. */
@Command(
        name = "activations",
        mixinStandardHelpOptions = true,
        description = {
            "Activation runs workflows for segment changes and records every outcome on cx.activations.v1; decisions"
                    + " that failed permanently or ran out of retries are also on cx.activations.dlq.v1.",
            "",
            "Every command talks to activation (--url, default http://127.0.0.1:8082) with the admin token (--token,"
                    + " else CX_ADMIN_TOKEN, else the development token dev-admin for a local address).",
            ""
        },
        footer = {"", "Example:", "  cx activations retry-dlq --workflow welcome --since 24h --dry-run"},
        subcommands = {ActivationsCommand.RetryDlq.class})
public final class ActivationsCommand implements Runnable {

    /** The address of the local default ({@code cx up}). */
    static final String DEFAULT_URL = "http://127.0.0.1:8082";

    /** Exit status when replays failed again or did not finish within {@code --wait}. */
    static final int EXIT_NOT_ALL_SENT = 3;

    private static final Duration LOOKUP_INTERVAL = Duration.ofMillis(500);
    private static final int LOOKUP_BATCH = 5_000;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "retry-dlq",
            mixinStandardHelpOptions = true,
            description = {
                "Replay failed decisions from cx.activations.dlq.v1. Each matching decision (the latest dead letter"
                        + " per idempotency key, oldest failure first) runs again through activation with the same"
                        + " idempotency key, so a provider that already has it does not act twice. A decision the"
                        + " ledger says was sent is not sent again; every guardrail is judged again (a customer"
                        + " suppressed since is skipped, quiet hours defer it).",
                "",
                "Progress, one line per decision, then a summary. Exit status: 0 when every replayed decision was"
                        + " sent (or nothing was to replay), 1 on an error, 2 on a usage error, 3 when a replay failed"
                        + " again (it is back on the dead-letter topic) or did not finish within --wait.",
                ""
            },
            footer = {
                "",
                "Examples:",
                "  cx activations retry-dlq --dry-run",
                "  cx activations retry-dlq --workflow welcome --channel webhook --since 2h",
                "  cx activations retry-dlq --customer cus_42 --since 2026-11-23T08:00:00Z",
                "  cx activations retry-dlq --limit 100 --wait 5m",
                "  cx activations retry-dlq --url http://activation.internal:8082 --token \"$CX_ADMIN_TOKEN\""
            })
    static final class RetryDlq implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(
                names = "--url",
                paramLabel = "URL",
                defaultValue = DEFAULT_URL,
                description = "activation base URL (default: ${DEFAULT-VALUE})")
        String url;

        @Option(
                names = "--token",
                paramLabel = "TOKEN",
                description = "admin token (default: $" + AdminClient.TOKEN_ENV + ", else dev-admin for a local URL)")
        String token;

        @Option(names = "--workflow", paramLabel = "ID", description = "only decisions of this workflow")
        String workflow;

        @Option(
                names = "--channel",
                paramLabel = "CHANNEL",
                description = "only decisions on this channel (webhook, email, sms, push, ads, agent_task)")
        String channel;

        @Option(names = "--customer", paramLabel = "ID", description = "only decisions for this customer id")
        String customer;

        @Option(
                names = "--since",
                paramLabel = "WHEN",
                description = "only decisions that failed since then: a duration back from now (30m, 2h, 7d) or an"
                        + " ISO-8601 instant (2026-11-23T08:00:00Z)")
        String since;

        @Option(
                names = "--limit",
                paramLabel = "N",
                defaultValue = "1000",
                description = "replay at most N decisions, the oldest failures first (default: ${DEFAULT-VALUE})")
        int limit;

        @Option(names = "--dry-run", description = "show what would be replayed; replay nothing")
        boolean dryRun;

        @Option(
                names = "--wait",
                paramLabel = "DURATION",
                defaultValue = "60s",
                description = "how long to wait for the replays' outcomes; 0 returns once they are requested"
                        + " (default: ${DEFAULT-VALUE})")
        String wait;

        @Option(names = "--json", description = "print activation's JSON answer instead of tables")
        boolean json;

        Clock clock = Clock.systemUTC();

        @Override
        public Integer call() throws InterruptedException {
            CommandLine cli = spec.commandLine();
            if (limit < 1) {
                throw new CommandLine.ParameterException(cli, "--limit must be at least 1");
            }
            Duration waitFor = duration(cli, "--wait", wait);
            ObjectNode request = Json.mapper().createObjectNode();
            putIfSet(request, "workflow", workflow, "--workflow", cli);
            putIfSet(request, "channel", channel, "--channel", cli);
            putIfSet(request, "customer", customer, "--customer", cli);
            if (since != null) {
                request.put("since", since(cli, since, clock.instant()).toString());
            }
            request.put("limit", limit);
            request.put("dryRun", dryRun);

            PrintWriter out = cli.getOut();
            String chosen =
                    AdminClient.token(token, AdminClient.host(url, cli), System.getenv(), cli, "activation", url);
            try (AdminClient client = new AdminClient("activation", url, chosen, AdminClient.Errors.NONE)) {
                if (!json) {
                    out.println("reading the dead letters through activation at " + url + describe());
                    out.flush();
                }
                JsonNode report = client.send("POST", "/v1/activations/dlq:retry", request)
                        .body();
                if (json) {
                    out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
                    return 0;
                }
                return print(client, report, waitFor, out);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new AdminClient.CliFailure("cannot print the answer: " + e.getMessage());
            }
        }

        private int print(AdminClient client, JsonNode report, Duration waitFor, PrintWriter out)
                throws InterruptedException {
            String requestId = report.path("requestId").asText();
            JsonNode decisions = report.path("decisions");
            out.println(report.path("scanned").asLong() + " dead letters read; " + decisions.size()
                    + (decisions.size() == 1 ? " decision matches" : " decisions match"));
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"OUTCOME", "DECISION", "CHANNEL", "FAILED AT", "WHY / DETAIL"});
            List<String> replayed = new ArrayList<>();
            for (JsonNode d : decisions) {
                String outcome = d.path("outcome").asText().replace('_', ' ');
                if (outcome.equals("replayed")) {
                    replayed.add(d.path("idempotencyKey").asText());
                }
                rows.add(new String[] {
                    outcome,
                    d.path("idempotencyKey").asText(),
                    d.path("channel").asText(),
                    d.path("at").asText(),
                    shorten(
                            d.path("reason").asText("") + " — "
                                    + d.path("detail").asText(""),
                            100)
                });
            }
            if (rows.size() > 1) {
                CliText.table(out, rows);
            }
            Map<String, String> finals = new LinkedHashMap<>();
            if (!replayed.isEmpty() && !waitFor.isZero()) {
                out.println("waiting up to " + waitFor.toSeconds() + " s for the outcome"
                        + (replayed.size() == 1 ? " of 1 replay" : "s of " + replayed.size() + " replays")
                        + " (request " + requestId + "; Ctrl-C leaves them running)");
                out.flush();
                finals = awaitOutcomes(client, requestId, replayed, waitFor, out);
            }
            long sent = finals.values().stream().filter("sent"::equals).count();
            long failed =
                    finals.values().stream().filter("failed again"::equals).count();
            long running = replayed.size() - sent - failed;
            List<String[]> summary = new ArrayList<>();
            summary.add(new String[] {"OUTCOME", "DECISIONS", ""});
            JsonNode s = report.path("summary");
            String replayedDetail = dryRun
                    ? "(dry run: nothing replayed)"
                    : replayed.isEmpty()
                            ? ""
                            : waitFor.isZero()
                                    ? "(requested; not waited for)"
                                    : "(" + sent + " sent, " + failed + " failed again, " + running + " still running)";
            summary.add(new String[] {
                dryRun ? "would replay" : "replayed",
                Long.toString(s.path("replayed").asLong()),
                replayedDetail
            });
            summary.add(new String[] {
                "already done", Long.toString(s.path("alreadyDone").asLong()), "(the ledger says sent: not sent again)"
            });
            summary.add(new String[] {"skipped", Long.toString(s.path("skipped").asLong()), ""});
            out.println();
            CliText.table(out, summary);
            if (failed > 0) {
                out.println("failed again: back on cx.activations.dlq.v1 with the new reason");
            }
            if (running > 0 && !waitFor.isZero()) {
                out.println("still running: their outcomes will be on cx.activations.v1 (GET /v1/activations)");
            }
            return !dryRun && !waitFor.isZero() && (failed > 0 || running > 0) ? EXIT_NOT_ALL_SENT : 0;
        }

        /** Polls the ledger until every replay of {@code requestId} has an outcome or {@code waitFor} passed. */
        private Map<String, String> awaitOutcomes(
                AdminClient client, String requestId, List<String> keys, Duration waitFor, PrintWriter out)
                throws InterruptedException {
            Map<String, String> finals = new LinkedHashMap<>();
            long deadline = System.nanoTime() + waitFor.toNanos();
            String last = "";
            while (true) {
                List<String> open =
                        keys.stream().filter(k -> !finals.containsKey(k)).toList();
                for (int from = 0; from < open.size(); from += LOOKUP_BATCH) {
                    ObjectNode body = Json.mapper().createObjectNode();
                    ArrayNode list = body.putArray("keys");
                    open.subList(from, Math.min(open.size(), from + LOOKUP_BATCH))
                            .forEach(list::add);
                    JsonNode entries = client.send("POST", "/v1/activations/ledger:lookup", body)
                            .body()
                            .path("entries");
                    entries.properties().forEach(e -> {
                        JsonNode entry = e.getValue();
                        if (entry.isObject()
                                && requestId.equals(entry.path("retry").asText())) {
                            String state = entry.path("state").asText();
                            if (state.equals("DONE")) {
                                finals.put(e.getKey(), "sent");
                            } else if (state.equals("FAILED")) {
                                finals.put(e.getKey(), "failed again");
                            } else if (state.equals("SKIPPED")) {
                                finals.put(e.getKey(), "skipped by a guardrail");
                            }
                        }
                    });
                }
                String progress = finals.size() + "/" + keys.size() + " finished ("
                        + finals.values().stream().filter("sent"::equals).count() + " sent)";
                if (!progress.equals(last)) {
                    out.println("  " + progress);
                    out.flush();
                    last = progress;
                }
                if (finals.size() == keys.size() || System.nanoTime() > deadline) {
                    return finals;
                }
                Thread.sleep(LOOKUP_INTERVAL.toMillis());
            }
        }

        private String describe() {
            List<String> parts = new ArrayList<>();
            if (workflow != null) {
                parts.add("workflow " + workflow);
            }
            if (channel != null) {
                parts.add("channel " + channel);
            }
            if (customer != null) {
                parts.add("customer " + customer);
            }
            if (since != null) {
                parts.add("since " + since);
            }
            return (parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")") + (dryRun ? ", dry run" : "");
        }
    }

    /** {@code --since}: a duration back from {@code now} ({@code 2h}) or an ISO-8601 instant. */
    static Instant since(CommandLine cli, String text, Instant now) {
        if (!text.isEmpty() && (Character.isDigit(text.charAt(0)) && !text.contains("T") || text.startsWith("P"))) {
            return now.minus(duration(cli, "--since", text));
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new CommandLine.ParameterException(
                    cli,
                    "--since must be a duration like 30m, 2h, 7d or an instant like 2026-11-23T08:00:00Z, not " + text);
        }
    }

    private static Duration duration(CommandLine cli, String option, String text) {
        try {
            Duration d = ConfigKey.duration("cli" + option.substring(1), null, option)
                    .parse(text, option);
            if (d.isNegative()) {
                throw new CommandLine.ParameterException(cli, option + " must not be negative: " + text);
            }
            return d;
        } catch (ConfigException | IllegalArgumentException e) {
            throw new CommandLine.ParameterException(
                    cli, option + " must be a duration like 30s, 5m, 2h or 7d, not " + text);
        }
    }

    private static void putIfSet(ObjectNode body, String field, String value, String option, CommandLine cli) {
        if (value == null) {
            return;
        }
        if (value.isBlank()) {
            throw new CommandLine.ParameterException(cli, option + " must not be empty");
        }
        body.put(field, value);
    }

    private static String shorten(String text, int max) {
        String one = text.strip().replaceAll("\\s+", " ");
        if (one.startsWith("— ")) {
            one = one.substring(2);
        }
        return one.length() <= max ? one : one.substring(0, max - 1) + "…";
    }
}
