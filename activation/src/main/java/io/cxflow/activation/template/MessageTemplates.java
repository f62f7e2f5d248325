package io.cxflow.activation.template;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import io.cxflow.activation.channel.RenderedContent;
import io.cxflow.activation.decision.Decision;
import io.cxflow.activation.decision.EventTrigger;
import io.cxflow.activation.profile.LatestProfile;
import io.cxflow.avro.SegmentMembershipChanged;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders the content settings of a send step ({@code subject}, {@code title}, {@code text}, {@code
 * body}, {@code html} and every {@code data.<name>}) as Mustache templates (JMustache) over what
 * activation knows of the customer: the snapshot of the trigger and, when one was read at send time,
 * the customer's latest profile ({@link Decision#profile()}).
 *
 * <p>The model a template sees:
 *
 * <pre>
 * customer.id, customer.email, customer.phone, customer.timezone, customer.userId (first userId),
 * customer.identities.&lt;type&gt; (list), customer.consent.&lt;channel&gt; (boolean)
 * with the latest profile: customer.traits.&lt;name&gt; (any JSON value), customer.locale,
 *   customer.orders.count, customer.orders.revenue.&lt;currency&gt;, customer.segments (list), customer.eventCount
 * segment.id, segment.version, segment.change, segment.reason, segment.at (segment triggers)
 * event.name, event.at, event.properties.&lt;name&gt; (any JSON value; event triggers)
 * workflow.id, workflow.version, workflow.step
 * unsubscribeUrl (kept as the placeholder the email connector replaces with the customer's link)
 * </pre>
 *
 * The latest profile's identities, consent (per channel, over the snapshot's) and time zone replace the
 * snapshot's; email and phone stay those the channel sends to.
 *
 * <p><b>Missing fields</b>: a variable that is absent or null renders as the empty string, and a
 * section over an absent value is skipped, so the fallback is written in the template with an
 * inverted section: {@code Hi {{#customer.traits.firstName}}{{customer.traits.firstName}}{{/customer.traits.firstName}}{{^customer.traits.firstName}}there{{/customer.traits.firstName}}}.
 * Rendering never fails on data; a template that does not compile is refused when the workflow is
 * saved ({@link #check}). {@code html} escapes HTML in values; the other parts are plain text and
 * are not escaped. Partials ({@code {{> name}}}) are not available.
 *
 * <p>Thread-safe; compiled templates are cached by their source.
 */
public final class MessageTemplates {

    /** Settings rendered as templates (besides every {@code data.<name>}). */
    public static final List<String> CONTENT_SETTINGS = List.of(
            RenderedContent.SUBJECT,
            RenderedContent.TITLE,
            RenderedContent.TEXT,
            RenderedContent.BODY,
            RenderedContent.HTML);

    private static final int MAX_CACHED = 4096;

    private final Mustache.Compiler text =
            Mustache.compiler().escapeHTML(false).defaultValue("").emptyStringIsFalse(true);
    private final Mustache.Compiler html =
            Mustache.compiler().escapeHTML(true).defaultValue("").emptyStringIsFalse(true);
    private final Map<String, Template> textCache = new ConcurrentHashMap<>();
    private final Map<String, Template> htmlCache = new ConcurrentHashMap<>();

    /** Whether {@code setting} is rendered as a template. */
    public static boolean isContent(String setting) {
        return CONTENT_SETTINGS.contains(setting)
                || (setting.startsWith(RenderedContent.DATA_PREFIX)
                        && setting.length() > RenderedContent.DATA_PREFIX.length());
    }

    /**
     * Compiles {@code source} as the template of {@code setting}.
     *
     * @return the problem, or {@code null} when it compiles
     */
    public String check(String setting, String source) {
        try {
            compile(setting, source);
            return null;
        } catch (MustacheException e) {
            return "is not a valid template: " + e.getMessage();
        }
    }

    /**
     * Renders the content settings of {@code decision} for its customer; settings that are not content
     * are ignored. A template that does not compile (a definition stored by another version) raises
     * {@link TemplateException}; data never does.
     */
    public RenderedContent render(Decision decision) {
        Map<String, Object> model = model(decision);
        Map<String, String> rendered = new TreeMap<>();
        for (Map.Entry<String, String> setting : decision.settings().entrySet()) {
            if (!isContent(setting.getKey())) {
                continue;
            }
            try {
                rendered.put(
                        setting.getKey(),
                        compile(setting.getKey(), setting.getValue()).execute(model));
            } catch (MustacheException e) {
                throw new TemplateException(
                        "template of setting '" + setting.getKey() + "' cannot be rendered: " + e.getMessage(), e);
            }
        }
        return RenderedContent.fromSettings(rendered);
    }

    private Template compile(String setting, String source) {
        boolean isHtml = RenderedContent.HTML.equals(setting);
        Map<String, Template> cache = isHtml ? htmlCache : textCache;
        Template template = cache.get(source);
        if (template == null) {
            template = (isHtml ? html : text).compile(source);
            if (cache.size() < MAX_CACHED) {
                cache.put(source, template);
            }
        }
        return template;
    }

    /** The data a template sees for {@code decision}. */
    public static Map<String, Object> model(Decision decision) {
        SegmentMembershipChanged change = decision.change();
        LatestProfile latest = decision.profile();
        Map<String, Object> customer = new LinkedHashMap<>();
        customer.put("id", change.getCustomerId());
        customer.put("email", change.getEmail());
        customer.put("phone", change.getPhone());
        String timezone = latest != null && latest.timezone() != null ? latest.timezone() : change.getTimezone();
        customer.put("timezone", timezone);
        Map<String, List<String>> known =
                latest != null && !latest.identities().isEmpty() ? latest.identities() : change.getIdentities();
        Map<String, Object> identities = new TreeMap<>();
        known.forEach((type, values) -> identities.put(type, List.copyOf(values)));
        customer.put("identities", identities);
        List<String> userIds = known.get("userId");
        customer.put("userId", userIds == null || userIds.isEmpty() ? null : userIds.getFirst());
        Map<String, Object> consent = new TreeMap<>(change.getConsent());
        if (latest != null) {
            consent.putAll(latest.consent());
        }
        customer.put("consent", consent);
        if (latest != null) {
            customer.put("traits", latest.plainTraits());
            customer.put("locale", latest.locale());
            Map<String, Object> orders = new LinkedHashMap<>();
            orders.put("count", latest.ordersCount());
            Map<String, Object> revenue = new TreeMap<>();
            latest.revenue().forEach((currency, amount) -> revenue.put(currency, amount.toPlainString()));
            orders.put("revenue", revenue);
            customer.put("orders", orders);
            customer.put("segments", List.copyOf(latest.segments()));
            customer.put("eventCount", latest.eventCount());
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("customer", customer);
        if (EventTrigger.isEvent(change)) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("name", EventTrigger.eventName(change));
            event.put("at", change.getAt().toString());
            event.put("properties", EventTrigger.properties(change));
            model.put("event", event);
        } else {
            Map<String, Object> segment = new LinkedHashMap<>();
            segment.put("id", change.getSegmentId());
            segment.put("version", change.getSegmentVersion());
            segment.put("change", change.getChange().name());
            segment.put("reason", change.getReason());
            segment.put("at", change.getAt().toString());
            model.put("segment", segment);
        }
        Map<String, Object> workflow = new LinkedHashMap<>();
        workflow.put("id", decision.workflowId());
        workflow.put("version", decision.workflowVersion());
        workflow.put("step", decision.stepId());
        model.put("workflow", workflow);
        // the email connector puts the customer's unsubscribe link where this placeholder stays
        model.put("unsubscribeUrl", "{{unsubscribeUrl}}");
        return model;
    }

    /** A stored template cannot be rendered: the decision fails permanently. */
    public static final class TemplateException extends RuntimeException {
        TemplateException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
