package io.cxflow.activation.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.activation.history.ActivationHistory;
import io.cxflow.activation.history.ActivationJson;
import io.cxflow.activation.workflow.FieldError;
import io.cxflow.activation.workflow.WorkflowJson;
import io.cxflow.activation.workflow.WorkflowStore;
import io.cxflow.activation.workflow.WorkflowStoreException;
import io.cxflow.activation.workflow.WorkflowValidationException;
import io.cxflow.avro.ActivationResult;
import io.cxflow.avro.WorkflowDefinition;
import io.cxflow.platform.http.HttpProblem;
import io.cxflow.platform.http.Routes;
import io.cxflow.platform.json.Json;
import io.javalin.http.Context;
import java.io.IOException;

/**
 * The activation HTTP API: workflows ({@code PUT|GET|DELETE /v1/workflows/{id}}, {@code GET
 * /v1/workflows}) and recent results ({@code GET /v1/activations?customerId=}). Every route needs the
 * admin token, except the public feedback endpoints ({@link FeedbackRoutes}).
 */
public final class ActivationRoutes {

    public static final String WORKFLOWS = "/v1/workflows";
    public static final String WORKFLOW = "/v1/workflows/{id}";
    public static final String ACTIVATIONS = "/v1/activations";

    private final WorkflowStore workflows;
    private final ActivationHistory history;
    private final AdminAuth auth;

    private ActivationRoutes(WorkflowStore workflows, ActivationHistory history, AdminAuth auth) {
        this.workflows = workflows;
        this.history = history;
        this.auth = auth;
    }

    /** Registers the routes, the admin filter and the mapping of activation's own exceptions. */
    public static void register(Routes routes, WorkflowStore workflows, ActivationHistory history, AdminAuth auth) {
        ActivationRoutes api = new ActivationRoutes(workflows, history, auth);
        routes.before("/v1/*", ctx -> {
            // the feedback endpoints are public: each checks its own signature or token
            if (!FeedbackRoutes.isPublic(ctx.path())) {
                api.auth.require(ctx.header("Authorization"));
            }
        });
        routes.put(WORKFLOW, api::putWorkflow);
        routes.get(WORKFLOW, api::getWorkflow);
        routes.delete(WORKFLOW, api::deleteWorkflow);
        routes.get(WORKFLOWS, api::listWorkflows);
        routes.get(ACTIVATIONS, api::listActivations);
        routes.exception(WorkflowValidationException.class, (e, ctx) -> invalid(ctx, e));
        routes.exception(WorkflowStoreException.class, (e, ctx) -> unavailable(ctx, e));
    }

    private void putWorkflow(Context ctx) throws IOException {
        JsonNode body = Json.mapper().readTree(ctx.bodyAsBytes());
        // ?dryRun=true validates and answers the document that would be stored, storing nothing
        WorkflowDefinition stored = "true".equals(ctx.queryParam("dryRun"))
                ? workflows.validate(ctx.pathParam("id"), body)
                : workflows.put(ctx.pathParam("id"), body);
        ctx.status(200).json(WorkflowJson.render(stored));
    }

    private void getWorkflow(Context ctx) {
        String id = ctx.pathParam("id");
        WorkflowDefinition workflow = workflows.get(id).orElseThrow(() -> notFound(id));
        ctx.json(WorkflowJson.render(workflow));
    }

    private void deleteWorkflow(Context ctx) {
        String id = ctx.pathParam("id");
        if (!workflows.delete(id)) {
            throw notFound(id);
        }
        ctx.status(204);
    }

    private void listWorkflows(Context ctx) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (WorkflowDefinition workflow : workflows.all()) {
            out.add(WorkflowJson.render(workflow));
        }
        ctx.json(out);
    }

    private void listActivations(Context ctx) {
        String customerId = ctx.queryParam("customerId");
        if (customerId == null || customerId.isBlank()) {
            throw HttpProblem.badRequest("missing_parameter", "the query parameter customerId is required");
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("customerId", customerId);
        ArrayNode list = out.putArray("activations");
        for (ActivationResult result : history.forCustomer(customerId)) {
            list.add(ActivationJson.render(result));
        }
        ctx.json(out);
    }

    private static HttpProblem notFound(String id) {
        return HttpProblem.notFound("no workflow with id '" + id + "'");
    }

    private static void invalid(Context ctx, WorkflowValidationException e) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("error", "invalid_workflow");
        out.put("message", e.getMessage());
        ArrayNode errors = out.putArray("errors");
        for (FieldError error : e.errors()) {
            errors.addObject().put("field", error.field()).put("message", error.message());
        }
        ctx.status(400).json(out);
    }

    private static void unavailable(Context ctx, WorkflowStoreException e) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        String code =
                switch (e.kind()) {
                    case NOT_READY -> "unavailable";
                    case WRITE_FAILED -> "write_failed";
                    case NOT_YET_VISIBLE -> "not_yet_visible";
                };
        out.put("error", code);
        out.put("message", e.getMessage());
        ctx.header("Retry-After", "1");
        ctx.status(503).json(out);
    }
}
