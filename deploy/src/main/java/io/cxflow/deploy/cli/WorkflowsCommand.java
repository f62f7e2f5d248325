package io.cxflow.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

/** {@code cx workflows}: list, show, store, validate and delete workflows through the activation API. */
@Command(
        name = "workflows",
        mixinStandardHelpOptions = true,
        description = {
            "Workflows turn a trigger (a customer entering or leaving a segment, or a named event) into steps: send"
                    + " on a channel with a template, wait, branch on a condition (see activation/DESIGN.md). They"
                    + " live on cx.workflows.v1 and take effect without a restart.",
            "",
            "Every command talks to activation (--url, default http://127.0.0.1:8082) with the admin token"
                    + " (--token, else CX_ADMIN_TOKEN, else the development token dev-admin for a local address).",
            ""
        },
        footer = {
            "",
            "Examples:",
            "  cx workflows list",
            "  cx workflows validate --file welcome.json",
            "  cx workflows put welcome --file welcome.json",
            "  cat welcome.json | cx workflows put welcome",
            "  cx workflows get welcome > welcome.json",
            "  cx workflows delete welcome",
            "",
            "welcome.json:",
            "  {\"name\": \"Welcome\", \"segment\": \"high-value\", \"on\": \"ENTERED\",",
            "   \"steps\": [{\"id\": \"hook\", \"send\": {\"channel\": \"webhook\",",
            "                                  \"url\": \"https://example.com/hook\"}}]}",
            "",
            "An event trigger instead of a segment:  {\"event\": \"Order Completed\", \"steps\": […]}"
        },
        subcommands = {
            WorkflowsCommand.ListWorkflows.class,
            WorkflowsCommand.Get.class,
            WorkflowsCommand.Put.class,
            WorkflowsCommand.Validate.class,
            WorkflowsCommand.Delete.class
        })
public final class WorkflowsCommand implements Runnable {

    /** The address of the local default ({@code cx up}). */
    static final String DEFAULT_URL = "http://127.0.0.1:8082";

    /** Fields of a stored document that a write does not take ({@code id} must match the argument). */
    private static final List<String> READ_ONLY = List.of("version", "updatedAt");

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where activation is and the admin token. */
    static final class Connection {
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

        /** The client, after checking the URL and choosing the token. */
        WorkflowsClient client(CommandLine cli) {
            String host = AdminClient.host(url, cli);
            return new WorkflowsClient(url, AdminClient.token(token, host, System.getenv(), cli, "activation", url));
        }
    }

    /** The workflow document, from a file or stdin. */
    static final class Document {
        @Option(
                names = {"-f", "--file"},
                paramLabel = "FILE",
                description = "JSON file with the workflow ('-' reads stdin; without --file the workflow is read from"
                        + " stdin when it is not a terminal)")
        Path file;

        /**
         * The request body for workflow {@code id}: the file's object without the read-only fields of a
         * stored document ({@code version}, {@code updatedAt}), so the output of {@code get} can be put
         * back; an {@code id} in it must be {@code id}.
         */
        ObjectNode body(String id, CommandLine cli, InputStream stdin, boolean interactive) {
            Path source = file;
            if (source == null) {
                if (interactive) {
                    throw new CommandLine.ParameterException(
                            cli, "give the workflow: --file FILE, or pipe its JSON on stdin");
                }
                source = Path.of("-");
            }
            ObjectNode body =
                    CliText.readObject(source, stdin, cli, "{\"segment\": \"…\", \"on\": \"ENTERED\", \"steps\": […]}");
            JsonNode given = body.remove("id");
            if (given != null && id != null && !given.asText().equals(id)) {
                throw new CommandLine.ParameterException(
                        cli, "the document's id '" + given.asText() + "' is not the workflow id '" + id + "'");
            }
            READ_ONLY.forEach(body::remove);
            return body;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List every workflow with its trigger and steps, ordered by id.",
            footer = {"", "Example:  cx workflows list"})
    static final class ListWorkflows implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Connection connection = new Connection();

        @Option(names = "--json", description = "print the JSON answer of activation instead of a table")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (WorkflowsClient client = connection.client(spec.commandLine())) {
                JsonNode list = client.list().body();
                if (json) {
                    out.println(CliText.pretty(list));
                    return 0;
                }
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"ID", "NAME", "TRIGGER", "ENABLED", "VERSION", "LIMITS", "STEPS"});
                for (JsonNode workflow : list) {
                    rows.add(new String[] {
                        workflow.path("id").asText(),
                        workflow.path("name").asText("-"),
                        trigger(workflow),
                        workflow.path("enabled").asBoolean(true) ? "yes" : "no",
                        Long.toString(workflow.path("version").asLong()),
                        limits(workflow),
                        steps(workflow.path("steps"))
                    });
                }
                CliText.table(out, rows);
                out.println(list.size() + (list.size() == 1 ? " workflow" : " workflows"));
                return 0;
            }
        }
    }

    @Command(
            name = "get",
            mixinStandardHelpOptions = true,
            description = {
                "Print one workflow as JSON. The output can be edited and stored again with 'cx workflows put ID"
                        + " --file FILE' (its version and updatedAt are left out on the way back)."
            },
            footer = {"", "Examples:", "  cx workflows get welcome", "  cx workflows get welcome > welcome.json"})
    static final class Get implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Connection connection = new Connection();

        @Parameters(index = "0", paramLabel = "ID", description = "the workflow id")
        String id;

        @Override
        public Integer call() {
            try (WorkflowsClient client = connection.client(spec.commandLine())) {
                spec.commandLine()
                        .getOut()
                        .println(CliText.pretty(client.get(id).body()));
                return 0;
            }
        }
    }

    @Command(
            name = "put",
            mixinStandardHelpOptions = true,
            description = {
                "Create or replace a workflow. It is validated first: every problem is printed with its field and"
                        + " nothing is stored. Each change writes the next version; membership changes and events"
                        + " processed from then on use it."
            },
            footer = {
                "",
                "Examples:",
                "  cx workflows put welcome --file welcome.json",
                "  cat welcome.json | cx workflows put welcome",
                "  cx workflows put welcome --file - < welcome.json"
            })
    static final class Put implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Connection connection = new Connection();

        @Mixin
        Document document = new Document();

        @Option(names = "--json", description = "print only the stored document as JSON")
        boolean json;

        @Parameters(index = "0", paramLabel = "ID", description = "the workflow id: [a-z0-9][a-z0-9-]{0,62}")
        String id;

        @Override
        public Integer call() {
            ObjectNode body = document.body(id, spec.commandLine(), System.in, System.console() != null);
            try (WorkflowsClient client = connection.client(spec.commandLine())) {
                JsonNode stored = client.put(id, body).body();
                PrintWriter out = spec.commandLine().getOut();
                if (!json) {
                    long version = stored.path("version").asLong();
                    out.println((version == 1 ? "created" : "saved") + " workflow " + id + " (version " + version
                            + "): " + trigger(stored) + ", " + steps(stored.path("steps")));
                }
                out.println(CliText.pretty(stored));
                return 0;
            }
        }
    }

    @Command(
            name = "validate",
            mixinStandardHelpOptions = true,
            description = {
                "Check a workflow as activation would on save — ids, trigger, steps, channels configured on that"
                        + " deployment, templates, conditions, limits — and store nothing. Every problem is printed"
                        + " with its field; the exit code is 1 when there is any."
            },
            footer = {
                "",
                "Examples:",
                "  cx workflows validate --file welcome.json",
                "  cx workflows validate welcome --file welcome.json",
                "  cat welcome.json | cx workflows validate"
            })
    static final class Validate implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Connection connection = new Connection();

        @Mixin
        Document document = new Document();

        @Parameters(
                index = "0",
                arity = "0..1",
                paramLabel = "ID",
                defaultValue = "draft",
                description = "the id the workflow would have (default: ${DEFAULT-VALUE})")
        String id;

        @Override
        public Integer call() {
            ObjectNode body = document.body(id, spec.commandLine(), System.in, System.console() != null);
            try (WorkflowsClient client = connection.client(spec.commandLine())) {
                JsonNode checked = client.validate(id, body).body();
                spec.commandLine()
                        .getOut()
                        .println("valid: workflow " + id + ": " + trigger(checked) + ", " + steps(checked.path("steps"))
                                + " (nothing stored)");
                return 0;
            }
        }
    }

    @Command(
            name = "delete",
            mixinStandardHelpOptions = true,
            description = {
                "Delete a workflow: it triggers nothing from then on. Decisions it already deferred (waits, quiet"
                        + " hours) still run when due."
            },
            footer = {"", "Example:  cx workflows delete welcome"})
    static final class Delete implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Connection connection = new Connection();

        @Parameters(index = "0", paramLabel = "ID", description = "the workflow id")
        String id;

        @Override
        public Integer call() {
            try (WorkflowsClient client = connection.client(spec.commandLine())) {
                client.delete(id);
                spec.commandLine().getOut().println("deleted workflow " + id);
                return 0;
            }
        }
    }

    /** {@code segment high-value ENTERED} or {@code event Order Completed}. */
    static String trigger(JsonNode workflow) {
        if (workflow.path("event").isTextual()) {
            return "event " + workflow.path("event").asText();
        }
        return "segment " + workflow.path("segment").asText() + " "
                + workflow.path("on").asText();
    }

    /** {@code perCustomer 1/P7D, total 100/P1D}, or {@code -}. */
    static String limits(JsonNode workflow) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, JsonNode> limit : workflow.path("limits").properties()) {
            parts.add(limit.getKey() + " " + limit.getValue().asText());
        }
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }

    /** {@code 3 steps: email, wait PT2H, if}. */
    static String steps(JsonNode steps) {
        List<String> kinds = new ArrayList<>();
        for (JsonNode step : steps) {
            if (step.has("send")) {
                kinds.add(step.path("send").path("channel").asText());
            } else if (step.has("wait")) {
                kinds.add("wait " + step.path("wait").asText());
            } else if (step.has("if")) {
                kinds.add("if");
            }
        }
        return kinds.size()
                + (kinds.size() == 1 ? " step" : " steps")
                + (kinds.isEmpty() ? "" : ": " + String.join(", ", kinds));
    }
}
