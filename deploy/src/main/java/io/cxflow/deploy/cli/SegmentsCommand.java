package io.cxflow.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.platform.json.Json;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cx segments}: define, inspect, preview and delete segments through the analytics API. */
@Command(
        name = "segments",
        mixinStandardHelpOptions = true,
        description = {
            "Segments are audiences defined by a CEL condition over 'profile' (see analytics/DESIGN.md). Segments"
                    + " written here live on cx.segment-definitions.v1 and take effect without a restart; segments"
                    + " of the configuration (analytics.segments) are listed but read-only.",
            "",
            "Every command talks to analytics (--url, default http://127.0.0.1:8081) with the admin token"
                    + " (--token, else CX_ADMIN_TOKEN, else the development token dev-admin for a local address).",
            ""
        },
        footer = {
            "",
            "Examples:",
            "  cx segments list",
            "  cx segments preview --condition 'profile.orders.count >= 2'",
            "  cx segments put repeat-buyers --name 'Repeat buyers' \\",
            "      --condition 'profile.orders.count >= 2' --topic --tag sales",
            "  cx segments put high-value --file high-value.json",
            "  cx segments get repeat-buyers",
            "  cx segments members repeat-buyers --all",
            "  cx segments delete repeat-buyers",
            "  cx segments list --url http://analytics.internal:8081 \\",
            "      --token \"$CX_ADMIN_TOKEN\"",
            "",
            "high-value.json:",
            "  {\"name\": \"High value\", \"topic\": true, \"tags\": [\"sales\"],",
            "   \"condition\": \"sum('Order Completed', 'revenue', duration('8760h')) >= 500.0\"}"
        },
        subcommands = {
            SegmentsCommand.ListSegments.class,
            SegmentsCommand.Get.class,
            SegmentsCommand.Put.class,
            SegmentsCommand.Delete.class,
            SegmentsCommand.Preview.class,
            SegmentsCommand.Members.class
        })
public final class SegmentsCommand implements Runnable {

    /** The address of the local default ({@code cx up}). */
    static final String DEFAULT_URL = "http://127.0.0.1:8081";

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where analytics is and the admin token. */
    static final class Connection {
        @Option(
                names = "--url",
                paramLabel = "URL",
                defaultValue = DEFAULT_URL,
                description = "analytics base URL (default: ${DEFAULT-VALUE})")
        String url;

        @Option(
                names = "--token",
                paramLabel = "TOKEN",
                description = "admin token (default: $" + AdminClient.TOKEN_ENV + ", else dev-admin for a local URL)")
        String token;

        @Option(names = "--json", description = "print the JSON answer of analytics instead of a table")
        boolean json;

        /** The client, after checking the URL and choosing the token. */
        SegmentsClient client(CommandLine cli) {
            String host = AdminClient.host(url, cli);
            return new SegmentsClient(url, token(host, System.getenv(), cli));
        }

        /** --token, else the environment, else the development token when analytics is on this machine. */
        String token(String host, Map<String, String> env, CommandLine cli) {
            return AdminClient.token(token, host, env, cli, "analytics", url);
        }
    }

    /** The editable fields of a segment, from a file and/or options. */
    static final class Definition {
        @Option(
                names = {"-f", "--file"},
                paramLabel = "FILE",
                description =
                        "JSON file with {\"name\", \"description\", \"condition\", \"topic\", \"tags\"} ('-' reads"
                                + " stdin); options given as well override its fields")
        Path file;

        @Option(names = "--name", paramLabel = "NAME", description = "human-readable name (default: the id)")
        String name;

        @Option(names = "--description", paramLabel = "TEXT", description = "free text")
        String description;

        @Option(
                names = {"-c", "--condition"},
                paramLabel = "CEL",
                description = "the condition over 'profile', e.g. 'profile.orders.count >= 2'")
        String condition;

        @Option(
                names = "--topic",
                negatable = true,
                description = "also publish membership changes on cx.segment.<id>.v1 (--no-topic: do not)")
        Boolean topic;

        @Option(names = "--tag", paramLabel = "TAG", description = "a tag (repeat for several)")
        List<String> tags;

        /** The request body; a usage error when there is no condition. */
        ObjectNode body(CommandLine cli, InputStream stdin) {
            ObjectNode body = file == null ? Json.mapper().createObjectNode() : read(cli, stdin);
            if (name != null) {
                body.put("name", name);
            }
            if (description != null) {
                body.put("description", description);
            }
            if (condition != null) {
                body.put("condition", condition);
            }
            if (topic != null) {
                body.put("topic", topic);
            }
            if (tags != null) {
                tags.forEach(body.putArray("tags")::add);
            }
            if (!body.path("condition").isTextual()
                    || body.path("condition").asText().isBlank()) {
                throw new CommandLine.ParameterException(
                        cli,
                        file == null
                                ? "give the condition: --condition 'profile.orders.count >= 2', or --file FILE"
                                : file + " has no \"condition\" (or give --condition)");
            }
            return body;
        }

        private ObjectNode read(CommandLine cli, InputStream stdin) {
            return CliText.readObject(file, stdin, cli, "{\"name\": \"…\", \"condition\": \"…\"}");
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List every segment with its live size (members over all analytics instances).",
            footer = {"", "Example:  cx segments list"})
    static final class ListSegments implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Connection connection = new Connection();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (SegmentsClient client = connection.client(spec.commandLine())) {
                JsonNode list = client.list().body();
                if (connection.json) {
                    out.println(CliText.pretty(list));
                    return 0;
                }
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"ID", "NAME", "SIZE", "VERSION", "TOPIC", "SOURCE", "CONDITION"});
                for (JsonNode segment : list) {
                    rows.add(new String[] {
                        segment.path("id").asText(),
                        segment.path("name").asText(),
                        Long.toString(segment.path("size").asLong()),
                        Long.toString(segment.path("version").asLong()),
                        segment.path("topic").asBoolean() ? "yes" : "no",
                        segment.path("source").asText(),
                        CliText.oneLine(segment.path("condition").asText())
                    });
                }
                CliText.table(out, rows);
                out.println(list.size() + (list.size() == 1 ? " segment" : " segments"));
                return 0;
            }
        }
    }

    @Command(
            name = "get",
            mixinStandardHelpOptions = true,
            description = "Show one segment's definition.",
            footer = {"", "Example:  cx segments get high-value"})
    static final class Get implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Connection connection = new Connection();

        @Parameters(index = "0", paramLabel = "ID", description = "the segment id")
        String id;

        @Override
        public Integer call() {
            try (SegmentsClient client = connection.client(spec.commandLine())) {
                JsonNode segment = client.get(id).body();
                printSegment(spec.commandLine().getOut(), segment, connection.json);
                return 0;
            }
        }
    }

    @Command(
            name = "put",
            mixinStandardHelpOptions = true,
            description = {
                "Create or change a segment. The condition is compiled first: a mistake is reported with its line and"
                        + " column and nothing is saved. Each change writes the next version; existing profiles are"
                        + " re-evaluated in the background.",
                "A file holds {\"name\", \"description\", \"condition\", \"topic\", \"tags\"}; options override it."
            },
            footer = {
                "",
                "Examples:",
                "  cx segments put vip --name VIP \\",
                "      --condition 'has(profile.traits.tier) && profile.traits.tier == \"gold\"'",
                "  cx segments put lapsed --condition 'idle() > duration(\"720h\")' --topic",
                "  cx segments put high-value --file high-value.json",
                "  cat high-value.json | cx segments put high-value --file -"
            })
    static final class Put implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Connection connection = new Connection();

        @Mixin
        Definition definition = new Definition();

        @Parameters(index = "0", paramLabel = "ID", description = "the segment id: [a-z0-9][a-z0-9-]{0,62}")
        String id;

        @Override
        public Integer call() {
            ObjectNode body = definition.body(spec.commandLine(), System.in);
            try (SegmentsClient client = connection.client(spec.commandLine())) {
                AdminClient.Answer answer = client.put(id, body);
                PrintWriter out = spec.commandLine().getOut();
                if (!connection.json) {
                    out.println((answer.status() == 201 ? "created" : "saved") + " segment " + id + " (version "
                            + answer.body().path("version").asLong() + ")");
                }
                printSegment(out, answer.body(), connection.json);
                return 0;
            }
        }
    }

    @Command(
            name = "delete",
            mixinStandardHelpOptions = true,
            description = "Delete a segment: its members exit it. Its topic cx.segment.<id>.v1, if any, is kept.",
            footer = {"", "Example:  cx segments delete high-value"})
    static final class Delete implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Connection connection = new Connection();

        @Parameters(index = "0", paramLabel = "ID", description = "the segment id")
        String id;

        @Override
        public Integer call() {
            try (SegmentsClient client = connection.client(spec.commandLine())) {
                client.delete(id);
                spec.commandLine().getOut().println("deleted segment " + id);
                return 0;
            }
        }
    }

    @Command(
            name = "preview",
            mixinStandardHelpOptions = true,
            description = {
                "Count the current profiles a condition holds for, with a sample of customer ids, without saving"
                        + " anything. Bounded by --timeout-ms: a count that did not finish in time is marked partial."
            },
            footer = {
                "",
                "Examples:",
                "  cx segments preview --condition 'profile.orders.count >= 2'",
                "  cx segments preview --condition 'channels(duration(\"720h\")) >= 3'",
                "  cx segments preview --file high-value.json --timeout-ms 20000"
            })
    static final class Preview implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Connection connection = new Connection();

        @Mixin
        Definition definition = new Definition();

        @Parameters(
                index = "0",
                arity = "0..1",
                paramLabel = "ID",
                defaultValue = "preview",
                description = "the id the segment would have (default: ${DEFAULT-VALUE})")
        String id;

        @Option(
                names = "--timeout-ms",
                paramLabel = "MS",
                defaultValue = "5000",
                description = "longest time to count, 1 to 30000 (default: ${DEFAULT-VALUE})")
        long timeoutMs;

        @Override
        public Integer call() {
            if (timeoutMs < 1 || timeoutMs > 30_000) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--timeout-ms must be 1 to 30000");
            }
            ObjectNode body = definition.body(spec.commandLine(), System.in);
            try (SegmentsClient client = connection.client(spec.commandLine())) {
                JsonNode preview = client.preview(id, body, timeoutMs).body();
                PrintWriter out = spec.commandLine().getOut();
                if (connection.json) {
                    out.println(CliText.pretty(preview));
                    return 0;
                }
                boolean partial = preview.path("partial").asBoolean();
                long size = preview.path("size").asLong();
                out.println((partial ? "at least " : "") + size + (size == 1 ? " customer matches" : " customers match")
                        + " (" + preview.path("scanned").asLong() + " profiles evaluated in "
                        + preview.path("tookMs").asLong() + " ms"
                        + (preview.path("errors").asLong() > 0
                                ? ", " + preview.path("errors").asLong() + " could not be evaluated"
                                : "")
                        + ")");
                List<String> sample = new ArrayList<>();
                preview.path("sample").forEach(idNode -> sample.add(idNode.asText()));
                if (!sample.isEmpty()) {
                    out.println("sample: " + String.join(", ", sample));
                }
                if (partial) {
                    List<String> reasons = new ArrayList<>();
                    preview.path("reasons").forEach(reason -> reasons.add(reason.asText()));
                    out.println("partial: " + String.join("; ", reasons));
                }
                return 0;
            }
        }
    }

    @Command(
            name = "members",
            mixinStandardHelpOptions = true,
            description = "List a segment's members (customer ids, ascending), one page or --all.",
            footer = {
                "",
                "Examples:",
                "  cx segments members high-value",
                "  cx segments members high-value --limit 1000 --cursor cus_abc",
                "  cx segments members high-value --all > members.txt"
            })
    static final class Members implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Connection connection = new Connection();

        @Parameters(index = "0", paramLabel = "ID", description = "the segment id")
        String id;

        @Option(
                names = "--limit",
                paramLabel = "N",
                defaultValue = "100",
                description = "members per page, 1 to 1000 (default: ${DEFAULT-VALUE})")
        int limit;

        @Option(names = "--cursor", paramLabel = "CURSOR", description = "start after this customer id")
        String cursor;

        @Option(names = "--all", description = "follow the pages to the last member")
        boolean all;

        @Override
        public Integer call() {
            if (limit < 1 || limit > 1000) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be 1 to 1000");
            }
            PrintWriter out = spec.commandLine().getOut();
            try (SegmentsClient client = connection.client(spec.commandLine())) {
                String next = cursor;
                do {
                    JsonNode page = client.members(id, limit, next).body();
                    if (connection.json) {
                        out.println(CliText.pretty(page));
                    } else {
                        page.path("members").forEach(member -> out.println(member.asText()));
                    }
                    next = page.path("nextCursor").isTextual()
                            ? page.path("nextCursor").asText()
                            : null;
                } while (all && next != null);
                if (next != null && !connection.json) {
                    spec.commandLine()
                            .getErr()
                            .println("more members: cx segments members " + id + " --cursor " + next + " (or --all)");
                }
                return 0;
            }
        }
    }

    private static void printSegment(PrintWriter out, JsonNode segment, boolean json) {
        if (json) {
            out.println(CliText.pretty(segment));
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"id:", segment.path("id").asText()});
        rows.add(new String[] {"name:", segment.path("name").asText()});
        if (segment.path("description").isTextual()) {
            rows.add(new String[] {"description:", segment.path("description").asText()});
        }
        rows.add(new String[] {"condition:", segment.path("condition").asText()});
        rows.add(new String[] {
            "topic:",
            segment.path("topic").asBoolean()
                    ? "yes (cx.segment." + segment.path("id").asText() + ".v1)"
                    : "no"
        });
        List<String> tags = new ArrayList<>();
        segment.path("tags").forEach(tag -> tags.add(tag.asText()));
        rows.add(new String[] {"tags:", tags.isEmpty() ? "-" : String.join(", ", tags)});
        rows.add(new String[] {"version:", Long.toString(segment.path("version").asLong())});
        if (segment.path("updatedAt").isTextual()) {
            rows.add(new String[] {"updated:", segment.path("updatedAt").asText()});
        }
        rows.add(new String[] {
            "source:",
            segment.path("source").asText()
                    + ("config".equals(segment.path("source").asText()) ? " (read-only: analytics.segments)" : "")
        });
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        for (String[] row : rows) {
            String value = row[1].replace("\n", "\n" + " ".repeat(width + 1));
            out.println(row[0] + " ".repeat(width - row[0].length() + 1) + value);
        }
    }
}
