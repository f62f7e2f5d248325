package io.cxflow.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxflow.deploy.cli.AdminClient.Answer;
import io.cxflow.deploy.cli.AdminClient.CliFailure;

/**
 * The workflows API of activation ({@code /v1/workflows}) as the command line calls it, over the
 * shared {@link AdminClient}: a workflow refused on save is reported with every offending field, one
 * per line.
 */
final class WorkflowsClient implements AutoCloseable {

    private final AdminClient admin;

    /**
     * @param baseUrl {@code http://host:port} of an activation instance
     * @param token the admin token
     */
    WorkflowsClient(String baseUrl, String token) {
        this.admin = new AdminClient("activation", baseUrl, token, WorkflowsClient::explain);
    }

    Answer list() {
        return admin.send("GET", "/v1/workflows", null);
    }

    Answer get(String id) {
        return admin.send("GET", path(id), null);
    }

    Answer put(String id, JsonNode body) {
        return admin.send("PUT", path(id), body);
    }

    /** Validates {@code body} as workflow {@code id} would be on save, and stores nothing. */
    Answer validate(String id, JsonNode body) {
        return admin.send("PUT", path(id) + "?dryRun=true", body);
    }

    Answer delete(String id) {
        return admin.send("DELETE", path(id), null);
    }

    private static String path(String id) {
        return "/v1/workflows/" + AdminClient.encode(id);
    }

    /** {@code invalid_workflow}: the message, then {@code <field>: <problem>} per line; 404: no such workflow. */
    static CliFailure explain(int status, String code, String message, JsonNode body) {
        if (code.equals("invalid_workflow")) {
            StringBuilder text = new StringBuilder("the workflow is not valid:");
            for (JsonNode error : body.path("errors")) {
                text.append("\n  ")
                        .append(error.path("field").asText())
                        .append(": ")
                        .append(error.path("message").asText());
            }
            return new CliFailure(text.toString());
        }
        if (status == 404 && code.equals("not_found")) {
            return new CliFailure(message.isEmpty() ? "no such workflow (HTTP 404)" : message + " (HTTP 404)");
        }
        return null;
    }

    @Override
    public void close() {
        admin.close();
    }
}
