package io.cxflow.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxflow.deploy.cli.AdminClient.Answer;
import io.cxflow.deploy.cli.AdminClient.CliFailure;

/**
 * The segments API of analytics ({@code /v1/segments}) as the command line calls it, over the shared
 * {@link AdminClient}: a condition that does not compile is reported with its line and column.
 */
final class SegmentsClient implements AutoCloseable {

    private final AdminClient admin;

    /**
     * @param baseUrl {@code http://host:port} of an analytics instance
     * @param token the admin token
     */
    SegmentsClient(String baseUrl, String token) {
        this.admin = new AdminClient("analytics", baseUrl, token, SegmentsClient::explain);
    }

    Answer list() {
        return admin.send("GET", "/v1/segments", null);
    }

    Answer get(String id) {
        return admin.send("GET", "/v1/segments/" + AdminClient.encode(id), null);
    }

    Answer put(String id, JsonNode body) {
        return admin.send("PUT", "/v1/segments/" + AdminClient.encode(id), body);
    }

    Answer delete(String id) {
        return admin.send("DELETE", "/v1/segments/" + AdminClient.encode(id), null);
    }

    Answer preview(String id, JsonNode body, long timeoutMs) {
        return admin.send("POST", "/v1/segments/" + AdminClient.encode(id) + ":preview?timeoutMs=" + timeoutMs, body);
    }

    Answer members(String id, int limit, String cursor) {
        return admin.send(
                "GET",
                "/v1/segments/" + AdminClient.encode(id) + "/members?limit=" + limit
                        + (cursor == null ? "" : "&cursor=" + AdminClient.encode(cursor)),
                null);
    }

    private static CliFailure explain(int status, String code, String message, JsonNode body) {
        if (code.equals("invalid_condition")) {
            return new CliFailure("the condition does not compile, at line "
                    + body.path("line").asInt() + ", column "
                    + body.path("column").asInt() + ":\n" + message);
        }
        return null;
    }

    @Override
    public void close() {
        admin.close();
    }
}
