package io.cxflow.activation.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.activation.channel.RenderedContent;
import io.cxflow.activation.condition.StepCondition;
import io.cxflow.activation.decision.EventTrigger;
import io.cxflow.activation.template.MessageTemplates;
import io.cxflow.avro.StepKind;
import io.cxflow.avro.TriggerKind;
import io.cxflow.avro.WorkflowDefinition;
import io.cxflow.avro.WorkflowStep;
import io.cxflow.avro.WorkflowTrigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The public JSON shape of a workflow, both ways: {@link #parse} validates a {@code PUT} body into a
 * {@link WorkflowDefinition} (collecting every problem, each naming its field), {@link #render} turns
 * a stored definition back into the document {@code GET} answers.
 *
 * <pre>{@code
 * {"name": "Welcome", "segment": "high-value", "on": "ENTERED", "enabled": true,
 *  "steps": [{"id": "notify", "send": {"channel": "webhook", "url": "https://example.com/hook"}},
 *            {"id": "mail", "send": {"channel": "email", "subject": "Welcome {{customer.email}}",
 *                                    "text": "Hi {{#customer.userId}}{{customer.userId}}{{/customer.userId}}{{^customer.userId}}there{{/customer.userId}}"}}]}
 * }</pre>
 *
 * An event trigger names the event instead of a segment and a change: {@code {"event": "Order Completed",
 * "steps": [...]}}.
 *
 * <p>Step ids are optional; a step without one gets {@code step-<n>} (1-based position). Give steps
 * explicit ids when a workflow will be edited: the id is part of the idempotency key.
 */
public final class WorkflowJson {

    /** Workflow and step ids: lower-case letters, digits and '-', starting with a letter or digit. */
    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    /** Segment ids, as the analytics module accepts them. */
    public static final Pattern SEGMENT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    public static final int MAX_STEPS = 32;
    public static final int MAX_NAME_LENGTH = 200;

    private static final Set<String> TOP_LEVEL = Set.of("name", "segment", "on", "event", "steps", "enabled", "limits");
    private static final Set<String> STEP_KINDS = Set.of("send", "wait", "if");
    private static final Set<String> PLANNED_STEP_KINDS = Set.of();

    /** The longest {@code wait} step. */
    public static final Duration MAX_WAIT = Duration.ofDays(365);

    private static final Pattern WAIT_AMOUNT = Pattern.compile("(\\d{1,9})(s|m|h|d)");
    private static final Set<String> TRIGGERS = Set.of("ENTERED", "EXITED");

    private WorkflowJson() {}

    /** Checks a workflow id against {@link #ID}; returns the error, or {@code null} when valid. */
    public static FieldError checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            return new FieldError("id", "must match " + ID.pattern());
        }
        return null;
    }

    /**
     * Validates {@code body} and builds the definition to store.
     *
     * @param id the workflow id from the path
     * @param version the version to give the stored definition
     * @param updatedAt when the definition was submitted
     * @throws WorkflowValidationException naming every offending field
     */
    public static WorkflowDefinition parse(String id, JsonNode body, long version, Instant updatedAt) {
        return parse(id, body, version, updatedAt, WorkflowRules.all());
    }

    /**
     * Validates {@code body} for a deployment where only the channels {@code configured} are on, and
     * builds the definition to store.
     *
     * @param templates compiles the content settings of send steps
     * @throws WorkflowValidationException naming every offending field
     */
    public static WorkflowDefinition parse(
            String id,
            JsonNode body,
            long version,
            Instant updatedAt,
            Set<String> configured,
            MessageTemplates templates) {
        return parse(id, body, version, updatedAt, new WorkflowRules(configured, templates, true));
    }

    /**
     * Validates {@code body} against what this deployment accepts ({@code rules}) and builds the
     * definition to store.
     *
     * @throws WorkflowValidationException naming every offending field
     */
    public static WorkflowDefinition parse(
            String id, JsonNode body, long version, Instant updatedAt, WorkflowRules rules) {
        Set<String> configured = rules.channels();
        MessageTemplates templates = rules.templates();
        List<FieldError> errors = new ArrayList<>();
        FieldError idError = checkId(id);
        if (idError != null) {
            errors.add(idError);
        }
        if (body == null || !body.isObject()) {
            errors.add(new FieldError("body", "must be a JSON object"));
            throw new WorkflowValidationException(errors);
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!TOP_LEVEL.contains(name)) {
                errors.add(new FieldError(name, "is not a known field; known: " + new TreeSet<>(TOP_LEVEL)));
            }
        }
        String name = optionalText(body, "name", "name", errors);
        if (name != null && name.length() > MAX_NAME_LENGTH) {
            errors.add(new FieldError("name", "must be at most " + MAX_NAME_LENGTH + " characters"));
        }
        String segment = null;
        String event = null;
        TriggerKind trigger;
        if (body.hasNonNull("event")) {
            event = parseEvent(body, rules, errors);
            trigger = TriggerKind.EVENT;
        } else {
            segment = requiredText(body, "segment", "segment", errors);
            if (segment != null && !SEGMENT_ID.matcher(segment).matches()) {
                errors.add(new FieldError("segment", "must be a segment id matching " + SEGMENT_ID.pattern()));
            }
            trigger = parseTrigger(body, errors);
        }
        boolean enabled = true;
        JsonNode enabledNode = body.get("enabled");
        if (enabledNode != null && !enabledNode.isNull()) {
            if (enabledNode.isBoolean()) {
                enabled = enabledNode.booleanValue();
            } else {
                errors.add(new FieldError("enabled", "must be true or false"));
            }
        }
        List<WorkflowStep> steps = parseSteps(body.get("steps"), configured, templates, errors);
        Map<String, String> limits = parseLimits(body.get("limits"), rules, errors);
        if (!errors.isEmpty()) {
            throw new WorkflowValidationException(errors);
        }
        return WorkflowDefinition.newBuilder()
                .setId(id)
                .setName(name)
                .setTrigger(WorkflowTrigger.newBuilder()
                        .setKind(trigger)
                        .setSegmentId(segment)
                        .setEvent(event)
                        .build())
                .setSteps(steps)
                .setLimits(limits)
                .setEnabled(enabled)
                .setVersion(version)
                .setUpdatedAt(updatedAt)
                .setDeleted(false)
                .build();
    }

    private static TriggerKind parseTrigger(JsonNode body, List<FieldError> errors) {
        String on = requiredText(body, "on", "on", errors);
        if (on == null) {
            return null;
        }
        String upper = on.toUpperCase(Locale.ROOT);
        if (TRIGGERS.contains(upper)) {
            return TriggerKind.valueOf(upper);
        }
        if ("EVENT".equals(upper)) {
            errors.add(new FieldError(
                    "on", "an event trigger names its event instead of a segment: {\"event\": \"Order Completed\"}"));
        } else {
            errors.add(new FieldError("on", "must be ENTERED or EXITED, got '" + on + "'"));
        }
        return null;
    }

    /**
     * {@code "event": "<name>"} instead of {@code segment} and {@code on} (an {@code "on": "EVENT"} is
     * tolerated): a track event's name, or {@code Page Viewed} / {@code Screen Viewed}.
     */
    private static String parseEvent(JsonNode body, WorkflowRules rules, List<FieldError> errors) {
        if (body.has("segment")) {
            errors.add(new FieldError("segment", "a workflow has one trigger: give either event, or segment and on"));
        }
        JsonNode on = body.get("on");
        if (on != null && !on.isNull() && !(on.isTextual() && on.asText().equalsIgnoreCase("EVENT"))) {
            errors.add(new FieldError("on", "an event trigger has no 'on' (or \"on\": \"EVENT\")"));
        }
        String event = requiredText(body, "event", "event", errors);
        if (event == null) {
            return null;
        }
        if (event.length() > EventTrigger.MAX_NAME_LENGTH) {
            errors.add(new FieldError("event", "must be at most " + EventTrigger.MAX_NAME_LENGTH + " characters"));
        } else if (!event.strip().equals(event) || event.chars().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError(
                    "event",
                    "must be an event name as sent, without leading or trailing spaces or control characters"));
        }
        if (!rules.eventTriggers()) {
            errors.add(new FieldError(
                    "event",
                    "event triggers are off on this deployment: set activation.profiles.url (the analytics query API"
                            + " that resolves an event's customer)"));
        }
        return event;
    }

    /**
     * {@code {"perCustomer": "1/7d", "total": "10000/1d"}} (either or both), normalised; the windows are
     * bounded by what the deployment remembers.
     */
    private static Map<String, String> parseLimits(JsonNode node, WorkflowRules rules, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            errors.add(new FieldError(
                    "limits", "must be an object such as {\"perCustomer\": \"1/7d\", \"total\": \"10000/1d\"}"));
            return Map.of();
        }
        Optional<WorkflowLimits.Limit> perCustomer = Optional.empty();
        Optional<WorkflowLimits.Limit> total = Optional.empty();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String key = entry.getKey();
            String path = "limits." + key;
            if (!key.equals(WorkflowLimits.PER_CUSTOMER) && !key.equals(WorkflowLimits.TOTAL)) {
                errors.add(new FieldError(path, "is not a known limit; known: perCustomer, total"));
                continue;
            }
            if (!entry.getValue().isTextual()) {
                errors.add(new FieldError(path, "must be a string such as \"1/7d\""));
                continue;
            }
            WorkflowLimits.Limit limit;
            try {
                limit = WorkflowLimits.parse(entry.getValue().textValue());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(path, e.getMessage()));
                continue;
            }
            boolean perCustomerLimit = key.equals(WorkflowLimits.PER_CUSTOMER);
            Duration longest = perCustomerLimit ? rules.perCustomerWindow() : rules.totalWindow();
            if (limit.window().compareTo(longest) > 0) {
                errors.add(new FieldError(
                        path,
                        "must have a window of at most " + days(longest)
                                + (perCustomerLimit
                                        ? ": the ledger remembers decisions that long (activation.ledger.retention)"
                                        : ": effects are counted that far back (activation.limits.total-lookback)")));
                continue;
            }
            if (perCustomerLimit) {
                perCustomer = Optional.of(limit);
            } else {
                total = Optional.of(limit);
            }
        }
        return new WorkflowLimits(perCustomer, total).toMap();
    }

    private static String days(Duration duration) {
        return duration.toHours() % 24 == 0 ? duration.toDays() + "d" : duration.toHours() + "h";
    }

    private static List<WorkflowStep> parseSteps(
            JsonNode node, Set<String> configured, MessageTemplates templates, List<FieldError> errors) {
        List<WorkflowStep> steps = new ArrayList<>();
        if (node == null || node.isNull()) {
            errors.add(new FieldError("steps", "is required: a non-empty array of steps"));
            return steps;
        }
        if (!node.isArray()) {
            errors.add(new FieldError("steps", "must be an array of steps"));
            return steps;
        }
        if (node.isEmpty()) {
            errors.add(new FieldError("steps", "must contain at least one step"));
            return steps;
        }
        if (node.size() > MAX_STEPS) {
            errors.add(new FieldError("steps", "must contain at most " + MAX_STEPS + " steps"));
            return steps;
        }
        Set<String> ids = new HashSet<>();
        steps = parseStepList(node, "steps", "step-", ids, configured, templates, errors);
        if (!steps.isEmpty() && steps.size() == node.size() && !hasSend(steps)) {
            errors.add(new FieldError("steps", "must contain at least one send step"));
        }
        return steps;
    }

    /** A stored step; fields that do not belong to {@code kind} are null or empty. */
    private static WorkflowStep step(
            String id,
            StepKind kind,
            String channel,
            Map<String, String> settings,
            Long waitMillis,
            String condition,
            List<WorkflowStep> then,
            List<WorkflowStep> otherwise) {
        return WorkflowStep.newBuilder()
                .setId(id)
                .setKind(kind)
                .setChannel(channel)
                .setTemplate(null)
                .setSettings(settings)
                .setWaitMillis(waitMillis)
                .setCondition(condition)
                .setThen(then)
                .setOtherwise(otherwise)
                .build();
    }

    private static boolean hasSend(List<WorkflowStep> steps) {
        for (WorkflowStep step : steps) {
            if (step.getKind() == StepKind.SEND || hasSend(step.getThen()) || hasSend(step.getOtherwise())) {
                return true;
            }
        }
        return false;
    }

    /** The steps of one list (the workflow's, or a branch's); ids are unique across the whole workflow. */
    private static List<WorkflowStep> parseStepList(
            JsonNode node,
            String path,
            String defaultIdPrefix,
            Set<String> ids,
            Set<String> configured,
            MessageTemplates templates,
            List<FieldError> errors) {
        List<WorkflowStep> steps = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String stepPath = path + "[" + i + "]";
            WorkflowStep step =
                    parseStep(node.get(i), stepPath, defaultIdPrefix + (i + 1), ids, configured, templates, errors);
            if (step != null && !ids.add(step.getId())) {
                errors.add(new FieldError(stepPath + ".id", "duplicates the id '" + step.getId() + "'"));
            }
            if (step != null) {
                steps.add(step);
            }
        }
        return steps;
    }

    private static WorkflowStep parseStep(
            JsonNode node,
            String path,
            String defaultId,
            Set<String> ids,
            Set<String> configured,
            MessageTemplates templates,
            List<FieldError> errors) {
        if (node == null || !node.isObject()) {
            errors.add(new FieldError(path, "must be an object such as {\"send\": {...}}"));
            return null;
        }
        int before = errors.size();
        String id = optionalText(node, "id", path + ".id", errors);
        if (id == null) {
            id = defaultId;
        } else if (!ID.matcher(id).matches()) {
            errors.add(new FieldError(path + ".id", "must match " + ID.pattern()));
        }
        List<String> kinds = new ArrayList<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.equals("id")) {
                continue;
            }
            if (STEP_KINDS.contains(name)) {
                kinds.add(name);
            } else if (PLANNED_STEP_KINDS.contains(name)) {
                errors.add(new FieldError(
                        path + '.' + name, "step kind '" + name + "' is not available yet; available: send, wait, if"));
            } else {
                errors.add(new FieldError(path + '.' + name, "is not a known step field; known: id, send, wait, if"));
            }
        }
        if (kinds.isEmpty()) {
            if (errors.size() == before) {
                errors.add(new FieldError(path, "must have one step kind: send, wait or if"));
            }
            return null;
        }
        if (kinds.size() > 1) {
            errors.add(new FieldError(path, "must have exactly one step kind, not " + kinds));
            return null;
        }
        if (kinds.getFirst().equals("if")) {
            return parseIf(node.get("if"), path + ".if", id, ids, configured, templates, errors, before);
        }
        if (kinds.getFirst().equals("wait")) {
            Duration wait = parseWait(node.get("wait"), path + ".wait", errors);
            if (wait == null || errors.size() != before) {
                return null;
            }
            return step(id, StepKind.WAIT, null, Map.of(), wait.toMillis(), null, List.of(), List.of());
        }
        JsonNode send = node.get("send");
        String sendPath = path + ".send";
        if (!send.isObject()) {
            errors.add(new FieldError(sendPath, "must be an object with a channel"));
            return null;
        }
        String channel = requiredText(send, "channel", sendPath + ".channel", errors);
        if (channel != null) {
            String problem = Channels.unavailable(channel, configured);
            if (problem != null) {
                errors.add(new FieldError(sendPath + ".channel", problem));
                return null;
            }
        }
        Map<String, String> settings = new LinkedHashMap<>();
        int beforeSettings = errors.size();
        for (Map.Entry<String, JsonNode> field : send.properties()) {
            String key = field.getKey();
            if (key.equals("channel") || channel == null) {
                continue;
            }
            String fieldPath = sendPath + '.' + key;
            JsonNode value = field.getValue();
            if (key.equals("data") && Channels.accepts(channel, "data.x")) {
                if (!value.isObject()) {
                    errors.add(new FieldError(fieldPath, "must be an object of strings"));
                    continue;
                }
                for (Map.Entry<String, JsonNode> entry : value.properties()) {
                    if (!entry.getValue().isTextual()) {
                        errors.add(new FieldError(fieldPath + '.' + entry.getKey(), "must be a string"));
                    } else if (entry.getKey().isBlank()) {
                        errors.add(new FieldError(fieldPath, "must not have an empty key"));
                    } else {
                        settings.put(
                                RenderedContent.DATA_PREFIX + entry.getKey(),
                                entry.getValue().textValue());
                    }
                }
            } else if (!Channels.accepts(channel, key)) {
                errors.add(new FieldError(
                        fieldPath,
                        "is not a setting of channel " + channel + "; known: "
                                + Channels.settingsOf(channel).toString().replace("data.*", "data")));
            } else if (!value.isTextual()) {
                errors.add(new FieldError(fieldPath, "must be a string"));
            } else {
                settings.put(key, value.textValue());
            }
        }
        if (channel != null && errors.size() == beforeSettings) {
            Channels.validate(channel, settings, sendPath, templates, errors);
        }
        if (errors.size() != before) {
            return null;
        }
        return step(id, StepKind.SEND, channel, settings, null, null, List.of(), List.of());
    }

    /** {@code {"condition": "<CEL>", "then": [steps], "else": [steps]}}; at least one branch has steps. */
    private static WorkflowStep parseIf(
            JsonNode node,
            String path,
            String id,
            Set<String> ids,
            Set<String> configured,
            MessageTemplates templates,
            List<FieldError> errors,
            int before) {
        if (node == null || !node.isObject()) {
            errors.add(new FieldError(path, "must be an object {\"condition\": …, \"then\": […], \"else\": […]}"));
            return null;
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!Set.of("condition", "then", "else").contains(name)) {
                errors.add(new FieldError(path + '.' + name, "is not a known field; known: condition, then, else"));
            }
        }
        String condition = requiredText(node, "condition", path + ".condition", errors);
        if (condition != null) {
            String problem = StepCondition.check(condition);
            if (problem != null) {
                errors.add(new FieldError(path + ".condition", problem));
            }
        }
        List<WorkflowStep> then =
                branch(node.get("then"), path + ".then", id + "-then-", ids, configured, templates, errors);
        List<WorkflowStep> otherwise =
                branch(node.get("else"), path + ".else", id + "-else-", ids, configured, templates, errors);
        if (errors.size() != before) {
            return null;
        }
        if (then.isEmpty() && otherwise.isEmpty()) {
            errors.add(new FieldError(path, "needs steps in then or else"));
            return null;
        }
        return step(id, StepKind.IF, null, Map.of(), null, condition, then, otherwise);
    }

    private static List<WorkflowStep> branch(
            JsonNode node,
            String path,
            String defaultIdPrefix,
            Set<String> ids,
            Set<String> configured,
            MessageTemplates templates,
            List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.size() > MAX_STEPS) {
            errors.add(new FieldError(path, "must be an array of at most " + MAX_STEPS + " steps"));
            return List.of();
        }
        return parseStepList(node, path, defaultIdPrefix, ids, configured, templates, errors);
    }

    /** {@code "PT2H"}, {@code "2h"} (s, m, h, d), or {@code {"for": "2h"}}; at least 1 s, at most {@link #MAX_WAIT}. */
    private static Duration parseWait(JsonNode node, String path, List<FieldError> errors) {
        String fieldPath = path;
        if (node != null && node.isObject()) {
            node = node.get("for");
            fieldPath = path + ".for";
        }
        if (node == null || !node.isTextual() || node.textValue().isBlank()) {
            errors.add(new FieldError(fieldPath, "must be a duration such as \"2h\", \"3d\" or \"PT30M\""));
            return null;
        }
        String text = node.textValue().trim();
        Duration wait;
        java.util.regex.Matcher m = WAIT_AMOUNT.matcher(text.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            wait = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        } else {
            try {
                wait = Duration.parse(text);
            } catch (java.time.format.DateTimeParseException e) {
                errors.add(new FieldError(fieldPath, "must be a duration such as \"2h\", \"3d\" or \"PT30M\""));
                return null;
            }
        }
        if (wait.compareTo(Duration.ofSeconds(1)) < 0 || wait.compareTo(MAX_WAIT) > 0) {
            errors.add(new FieldError(fieldPath, "must be between 1s and " + MAX_WAIT.toDays() + "d"));
            return null;
        }
        return wait;
    }

    private static String requiredText(JsonNode parent, String name, String path, List<FieldError> errors) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            errors.add(new FieldError(path, "is required"));
            return null;
        }
        if (!node.isTextual() || node.textValue().isBlank()) {
            errors.add(new FieldError(path, "must be a non-empty string"));
            return null;
        }
        return node.textValue();
    }

    private static String optionalText(JsonNode parent, String name, String path, List<FieldError> errors) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.textValue().isBlank()) {
            errors.add(new FieldError(path, "must be a non-empty string"));
            return null;
        }
        return node.textValue();
    }

    /** The document {@code GET /v1/workflows/{id}} answers for a stored definition. */
    public static ObjectNode render(WorkflowDefinition workflow) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode out = f.objectNode();
        out.put("id", workflow.getId());
        if (workflow.getName() != null) {
            out.put("name", workflow.getName());
        }
        WorkflowTrigger trigger = workflow.getTrigger();
        if (trigger.getKind() == TriggerKind.EVENT) {
            out.put("event", trigger.getEvent());
        } else {
            out.put("segment", trigger.getSegmentId());
            out.put("on", trigger.getKind().name());
        }
        renderSteps(out.putArray("steps"), workflow.getSteps());
        if (!workflow.getLimits().isEmpty()) {
            ObjectNode limits = out.putObject("limits");
            WorkflowLimits.of(workflow.getLimits()).toMap().forEach(limits::put);
        }
        out.put("enabled", workflow.getEnabled());
        out.put("version", workflow.getVersion());
        out.put("updatedAt", workflow.getUpdatedAt().toString());
        return out;
    }

    private static void renderSteps(ArrayNode steps, List<WorkflowStep> list) {
        for (WorkflowStep step : list) {
            ObjectNode s = steps.addObject();
            s.put("id", step.getId());
            if (step.getKind() == StepKind.WAIT) {
                s.put("wait", Duration.ofMillis(step.getWaitMillis()).toString());
            }
            if (step.getKind() == StepKind.SEND) {
                ObjectNode send = s.putObject("send");
                send.put("channel", step.getChannel());
                ObjectNode data = null;
                for (Map.Entry<String, String> setting : new java.util.TreeMap<>(step.getSettings()).entrySet()) {
                    String key = setting.getKey();
                    if (key.startsWith(RenderedContent.DATA_PREFIX)) {
                        data = data == null ? send.putObject("data") : data;
                        data.put(key.substring(RenderedContent.DATA_PREFIX.length()), setting.getValue());
                    } else {
                        send.put(key, setting.getValue());
                    }
                }
            }
            if (step.getKind() == StepKind.IF) {
                ObjectNode condition = s.putObject("if");
                condition.put("condition", step.getCondition());
                renderSteps(condition.putArray("then"), step.getThen());
                renderSteps(condition.putArray("else"), step.getOtherwise());
            }
        }
    }
}
