package io.cxflow.activation.channel.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.activation.channel.ContactPoints;
import io.cxflow.activation.channel.RenderedContent;
import io.cxflow.activation.channel.SendContext;
import io.cxflow.activation.channel.Undeliverable;
import io.cxflow.activation.decision.Decision;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.avro.ProductActivity;
import io.cxflow.avro.SegmentMembershipChanged;
import io.cxflow.avro.TraitValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The task document a person (call-center agent, store associate) receives: what to do, why, and the
 * customer context they need, from the membership change and — when the engine gives one — the
 * customer's latest profile. A pure function of the decision and its context, so every attempt
 * carries the same bytes. See {@code activation/DESIGN.md} ("Channels", agent task) for the fields.
 */
public final class AgentTaskDocument {

    /** Step settings. */
    public static final String QUEUE = "queue";

    public static final String PRIORITY = "priority";
    public static final String DUE_IN = "due-in";

    static final Set<String> PRIORITIES = Set.of("low", "normal", "high", "urgent");
    static final Pattern QUEUE_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    /** Traits copied into {@code customer.traits} when the profile has them (never free-form notes). */
    static final List<String> CONTEXT_TRAITS =
            List.of("firstName", "lastName", "name", "title", "company", "language", "loyaltyTier", "preferredStore");

    private AgentTaskDocument() {}

    /** {@code task_} and the first 32 hex digits of SHA-256 of the idempotency key. */
    public static String taskId(Decision decision) {
        return "task_"
                + io.cxflow.activation.channel.audience.AudienceMember.sha256Hex(
                                decision.key().value())
                        .substring(0, 32);
    }

    /**
     * The document of a decision.
     *
     * @param recentProducts the most products listed from the profile
     * @throws Undeliverable when a setting is invalid
     */
    public static ObjectNode build(Decision decision, SendContext context, ObjectMapper mapper, int recentProducts)
            throws Undeliverable {
        Map<String, String> settings = decision.settings();
        SegmentMembershipChanged change = decision.change();
        String queue = settings.getOrDefault(QUEUE, "default").trim();
        if (!QUEUE_NAME.matcher(queue).matches()) {
            throw new Undeliverable("the step's 'queue' must match " + QUEUE_NAME.pattern());
        }
        String priority = settings.getOrDefault(PRIORITY, "normal").trim().toLowerCase(Locale.ROOT);
        if (!PRIORITIES.contains(priority)) {
            throw new Undeliverable("the step's 'priority' must be one of low, normal, high, urgent");
        }
        RenderedContent content = RenderedContent.resolve(context, settings);
        CustomerProfile profile = context.profile();

        ObjectNode root = mapper.createObjectNode();
        root.put("taskId", taskId(decision));
        root.put("idempotencyKey", decision.key().value());
        root.put("queue", queue);
        root.put("priority", priority);
        root.put(
                "title",
                content.hasSubject()
                        ? content.subject()
                        : "Follow up: customer " + change.getChange().name().toLowerCase(Locale.ROOT) + " segment "
                                + change.getSegmentId());
        if (content.hasText()) {
            root.put("instructions", content.text());
        } else {
            root.putNull("instructions");
        }
        String dueIn = settings.get(DUE_IN);
        if (dueIn != null) {
            try {
                root.put(
                        "dueAt",
                        change.getAt().plus(java.time.Duration.parse(dueIn)).toString());
            } catch (java.time.format.DateTimeParseException e) {
                throw new Undeliverable("the step's 'due-in' must be an ISO-8601 duration such as PT4H");
            }
        }
        ObjectNode data = root.putObject("data");
        content.data().forEach(data::put);

        ObjectNode reason = root.putObject("reason");
        reason.put("workflowId", decision.workflowId());
        reason.put("workflowVersion", decision.workflowVersion());
        reason.put("stepId", decision.stepId());
        reason.put("segmentId", change.getSegmentId());
        reason.put("segmentVersion", change.getSegmentVersion());
        reason.put("change", change.getChange().name());
        reason.put("membershipVersion", change.getMembershipVersion());
        reason.put("why", change.getReason());
        reason.put("at", change.getAt().toString());

        customer(root.putObject("customer"), change, profile, mapper);
        if (profile != null) {
            ArrayNode segments = root.putArray("segments");
            profile.getSegments().stream().sorted().forEach(segments::add);
            ObjectNode orders = root.putObject("orders");
            orders.put("count", profile.getOrders().getCount());
            ObjectNode revenue = orders.putObject("revenue");
            new TreeMap<>(profile.getOrders().getRevenue()).forEach(revenue::put);
            Instant lastOrder = profile.getLastEvents().get("Order Completed");
            if (lastOrder != null) {
                orders.put("lastOrderAt", lastOrder.toString());
            } else {
                orders.putNull("lastOrderAt");
            }
            ArrayNode products = root.putArray("recentProducts");
            List<ProductActivity> sorted = new ArrayList<>(profile.getRecentProducts());
            sorted.sort(Comparator.comparing(ProductActivity::getAt)
                    .reversed()
                    .thenComparing(ProductActivity::getProductId)
                    .thenComparing(ProductActivity::getAction));
            for (ProductActivity p : sorted.subList(0, Math.min(recentProducts, sorted.size()))) {
                ObjectNode node = products.addObject();
                node.put("productId", p.getProductId());
                node.put("action", p.getAction());
                node.put("at", p.getAt().toString());
            }
            ObjectNode activity = root.putObject("activity");
            activity.put("firstSeen", profile.getFirstSeen().toString());
            activity.put("lastSeen", profile.getLastSeen().toString());
            activity.put("eventCount", profile.getEventCount());
            ArrayNode channels = activity.putArray("channels");
            new TreeMap<>(profile.getChannels()).keySet().forEach(channels::add);
        }
        return root;
    }

    private static void customer(
            ObjectNode customer, SegmentMembershipChanged change, CustomerProfile profile, ObjectMapper mapper) {
        customer.put("customerId", change.getCustomerId());
        ContactPoints.email(change).ifPresentOrElse(e -> customer.put("email", e), () -> customer.putNull("email"));
        ContactPoints.phone(change).ifPresentOrElse(p -> customer.put("phone", p), () -> customer.putNull("phone"));
        Map<String, List<String>> ids = profile != null ? profile.getIdentities() : change.getIdentities();
        ObjectNode identities = customer.putObject("identities");
        for (Map.Entry<String, List<String>> e : new TreeMap<>(ids).entrySet()) {
            ArrayNode values = identities.putArray(e.getKey());
            e.getValue().stream().sorted().forEach(values::add);
        }
        String timezone =
                profile != null && profile.getTimezone() != null ? profile.getTimezone() : change.getTimezone();
        customer.put("timezone", timezone);
        customer.put("locale", profile != null ? profile.getLocale() : null);
        ObjectNode consent = customer.putObject("consent");
        if (profile != null) {
            new TreeMap<>(profile.getConsent()).forEach((k, v) -> consent.put(k, v.getGranted()));
        } else {
            new TreeMap<>(change.getConsent()).forEach(consent::put);
        }
        ObjectNode traits = customer.putObject("traits");
        if (profile != null) {
            for (String name : CONTEXT_TRAITS) {
                TraitValue value = profile.getTraits().get(name);
                if (value != null) {
                    traits.set(name, parse(value.getValue(), mapper));
                }
            }
        }
    }

    private static JsonNode parse(String json, ObjectMapper mapper) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            return mapper.getNodeFactory().textNode(json);
        }
    }
}
