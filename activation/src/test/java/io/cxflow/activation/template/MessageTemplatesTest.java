package io.cxflow.activation.template;

import static io.cxflow.activation.testing.Fixtures.change;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxflow.activation.channel.RenderedContent;
import io.cxflow.activation.decision.Decision;
import io.cxflow.activation.decision.EventTrigger;
import io.cxflow.activation.decision.IdempotencyKey;
import io.cxflow.activation.profile.LatestProfile;
import io.cxflow.activation.testing.ProfileServer;
import io.cxflow.avro.MembershipChange;
import io.cxflow.avro.SegmentMembershipChanged;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageTemplatesTest {

    private final MessageTemplates templates = new MessageTemplates();

    private static Decision decision(SegmentMembershipChanged change, Map<String, String> settings) {
        return new Decision(
                new IdempotencyKey("welcome", "mail", change.getCustomerId(), change.getMembershipVersion()),
                4,
                "email",
                settings,
                change);
    }

    @Test
    void shouldRenderEveryContentPartFromTheSnapshot() {
        SegmentMembershipChanged change = change("cus_42", "high-value", MembershipChange.ENTERED, 3);

        RenderedContent content = templates.render(decision(
                change,
                Map.of(
                        "subject", "Welcome to {{segment.id}}",
                        "text", "Hi {{customer.email}} ({{customer.userId}}), v{{workflow.version}}",
                        "html", "<p>{{customer.email}}</p>",
                        "data.customer", "{{customer.id}}")));

        assertThat(content.subject()).isEqualTo("Welcome to high-value");
        assertThat(content.text()).isEqualTo("Hi ann@example.com (u-1), v4");
        assertThat(content.html()).isEqualTo("<p>ann@example.com</p>");
        assertThat(content.data()).containsExactly(Map.entry("customer", "cus_42"));
    }

    @Test
    void shouldRenderMissingFieldsAsEmptyAndTakeTheInvertedSectionAsFallback() {
        SegmentMembershipChanged change = change("cus_42", "s", MembershipChange.ENTERED, 1);
        change.setEmail(null);

        RenderedContent content = templates.render(
                decision(
                        change,
                        Map.of(
                                "subject", "[{{customer.traits.firstName}}]",
                                "text",
                                        "Hi {{#customer.email}}{{customer.email}}{{/customer.email}}{{^customer.email}}there{{/customer.email}}!")));

        assertThat(content.subject()).isEqualTo("[]");
        assertThat(content.text()).isEqualTo("Hi there!");
    }

    @Test
    void shouldEscapeHtmlOnlyInTheHtmlPart() {
        SegmentMembershipChanged change = change("cus_<b>", "s", MembershipChange.ENTERED, 1);

        RenderedContent content =
                templates.render(decision(change, Map.of("text", "{{customer.id}}", "html", "{{customer.id}}")));

        assertThat(content.text()).isEqualTo("cus_<b>");
        assertThat(content.html()).isEqualTo("cus_&lt;b&gt;");
    }

    @Test
    void shouldKeepTheUnsubscribePlaceholderForTheEmailConnector() {
        RenderedContent content = templates.render(decision(
                change("c", "s", MembershipChange.ENTERED, 1), Map.of("html", "<a href=\"{{unsubscribeUrl}}\">x</a>")));

        assertThat(content.html()).isEqualTo("<a href=\"{{unsubscribeUrl}}\">x</a>");
    }

    @Test
    void shouldIgnoreSettingsThatAreNotContent() {
        RenderedContent content = templates.render(
                decision(change("c", "s", MembershipChange.ENTERED, 1), Map.of("audience", "{{x", "text", "ok")));

        assertThat(content.text()).isEqualTo("ok");
    }

    @Test
    void shouldReportABrokenTemplateOnCheckAndRaiseOnRender() {
        assertThat(templates.check("text", "{{#a}}open")).contains("not a valid template");
        assertThat(templates.check("text", "{{a}} fine")).isNull();
        assertThatThrownBy(() -> templates.render(
                        decision(change("c", "s", MembershipChange.ENTERED, 1), Map.of("text", "{{#a}}"))))
                .isInstanceOf(MessageTemplates.TemplateException.class)
                .hasMessageContaining("'text'");
    }

    @Test
    void shouldRenderTraitsOrdersAndConsentOfTheLatestProfileWithFallbacks() {
        SegmentMembershipChanged change = change("cus_42", "high-value", MembershipChange.ENTERED, 3);
        String text = "Hi {{#customer.traits.firstName}}{{customer.traits.firstName}}{{/customer.traits.firstName}}"
                + "{{^customer.traits.firstName}}there{{/customer.traits.firstName}}, {{customer.orders.count}} order,"
                + " {{customer.orders.revenue.EUR}} EUR, sms {{customer.consent.sms}}, {{customer.timezone}}";
        Decision withProfile = decision(change, Map.of("text", text))
                .withProfile(LatestProfile.fromJson(
                        ProfileServer.document("cus_42", Map.of("firstName", "Ann"), Map.of("sms", true))));
        Decision snapshotOnly = decision(change, Map.of("text", text));

        assertThat(templates.render(withProfile).text()).isEqualTo("Hi Ann, 1 order, 49.90 EUR, sms true, Europe/Rome");
        assertThat(templates.render(snapshotOnly).text()).isEqualTo("Hi there,  order,  EUR, sms , Europe/Rome");
    }

    @Test
    void shouldNameTheEventOfAnEventTrigger() {
        SegmentMembershipChanged occurrence = orderCompleted(null);

        RenderedContent content = templates.render(decision(
                occurrence,
                Map.of("text", "{{event.name}} at {{event.at}}{{#segment.id}} in {{segment.id}}{{/segment.id}}")));

        assertThat(content.text()).isEqualTo("Order Completed at 2026-11-22T18:03:11Z");
    }

    @Test
    void shouldReadTheEventsPropertiesOfAnEventTrigger() {
        SegmentMembershipChanged occurrence =
                orderCompleted("{\"orderId\": \"o-1042\", \"revenue\": 49.9, \"items\": 2, \"gift\": false,"
                        + " \"products\": [{\"sku\": \"A-1\"}, {\"sku\": \"B-2\"}]}");

        RenderedContent content = templates.render(decision(
                occurrence,
                Map.of(
                        "text",
                        "Order {{event.properties.orderId}}: {{event.properties.items}} items, {{event.properties.revenue}}"
                                + "{{#event.properties.gift}} (gift){{/event.properties.gift}},"
                                + "{{#event.properties.products}} {{sku}}{{/event.properties.products}}"
                                + "{{#event.properties.coupon}} coupon{{/event.properties.coupon}}")));

        assertThat(content.text()).isEqualTo("Order o-1042: 2 items, 49.9, A-1 B-2");
    }

    @Test
    void shouldRenderEmptyEventPropertiesWhenTheOccurrenceHasNone() {
        SegmentMembershipChanged occurrence = orderCompleted(null);

        RenderedContent content = templates.render(
                decision(
                        occurrence,
                        Map.of(
                                "text",
                                "Order [{{event.properties.orderId}}]{{^event.properties.orderId}} (no id){{/event.properties.orderId}}")));

        assertThat(content.text()).isEqualTo("Order [] (no id)");
    }

    /** An occurrence of "Order Completed" for cus_9 with {@code properties} (JSON text or null). */
    private static SegmentMembershipChanged orderCompleted(String properties) {
        return EventTrigger.of(
                "Order Completed",
                "dev-pos",
                "m-1",
                java.time.Instant.parse("2026-11-22T18:03:11Z"),
                properties,
                LatestProfile.fromJson(ProfileServer.document("cus_9", Map.of(), Map.of())));
    }
}
