package io.cxflow.activation.channel.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.cxflow.activation.channel.Delivery;
import io.cxflow.activation.channel.RenderedContent;
import io.cxflow.activation.channel.SendContext;
import io.cxflow.activation.channel.support.Decisions;
import io.cxflow.activation.channel.support.ScriptedSmtpServer;
import io.cxflow.activation.channel.support.ScriptedSmtpServer.Stage;
import io.cxflow.activation.decision.Decision;
import io.cxflow.avro.MembershipChange;
import io.cxflow.platform.config.ConfigException;
import io.cxflow.platform.config.ConfigSource;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EmailConnectorTest {

    private static final long WAIT_MS = 10_000;
    private static final Pattern TOKEN = Pattern.compile("token=([A-Za-z0-9_\\-]+\\.[A-Za-z0-9_\\-]+)");

    private GreenMail smtp;

    @BeforeEach
    void setUp() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
    }

    @AfterEach
    void tearDown() {
        smtp.stop();
    }

    private static Map<String, String> settings(int port, String tls) {
        Map<String, String> s = new HashMap<>();
        s.put("activation.email.smtp.host", "127.0.0.1");
        s.put("activation.email.smtp.port", String.valueOf(port));
        s.put("activation.email.smtp.tls", tls);
        s.put("activation.email.smtp.timeout", "5s");
        s.put("activation.email.from", "Shop <news@shop.example>");
        s.put("activation.email.unsubscribe.url", "https://cx.shop.example/v1/unsubscribe");
        s.put("activation.email.unsubscribe.mailto", "unsubscribe@shop.example");
        s.put("activation.email.unsubscribe.secret", "unsub-secret");
        return s;
    }

    private static EmailConfig config(Map<String, String> settings) {
        return EmailConfig.from(ConfigSource.of(settings)).orElseThrow();
    }

    private EmailConnector plainConnector() {
        return new EmailConnector(config(settings(smtp.getSmtp().getPort(), "none")));
    }

    private static Decision decision(Map<String, String> settings) {
        return Decisions.decision("email", "mail", settings);
    }

    private static final Map<String, String> LITERAL = Map.of(
            "subject", "Welcome back, Ann",
            "text", "Hello Ann,\nyour cart is waiting.",
            "html", "<html><body><h1>Hello Ann</h1><p>Your cart is waiting.</p></body></html>");

    @Test
    void shouldSendTextAndHtmlWithIdempotencyAndUnsubscribeHeaders() throws Exception {
        EmailConnector connector = plainConnector();

        Delivery delivery = connector.deliver(decision(LITERAL), 1);

        assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.SENT);
        assertThat(smtp.waitForIncomingEmail(WAIT_MS, 1)).isTrue();
        MimeMessage received = smtp.getReceivedMessages()[0];
        assertThat(received.getAllRecipients()[0].toString()).isEqualTo("ann@example.com");
        assertThat(received.getFrom()[0].toString()).isEqualTo("Shop <news@shop.example>");
        assertThat(received.getSubject()).isEqualTo("Welcome back, Ann");
        assertThat(received.getMessageID()).isEqualTo(EmailConnector.messageId(decision(LITERAL), "shop.example"));
        assertThat(received.getMessageID()).matches("<cx\\.[0-9a-f]{32}@shop\\.example>");
        assertThat(received.getHeader("X-Cx-Idempotency-Key", null)).isEqualTo("welcome:mail:cus_42:3");
        assertThat(received.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");

        String listUnsubscribe = received.getHeader("List-Unsubscribe", null).replaceAll("\\s+", " ");
        assertThat(listUnsubscribe)
                .startsWith("<mailto:unsubscribe@shop.example?subject=unsubscribe%20")
                .contains(">, <https://cx.shop.example/v1/unsubscribe?token=")
                .endsWith(">");
        Matcher token = TOKEN.matcher(listUnsubscribe);
        assertThat(token.find()).isTrue();
        UnsubscribeLinks links = config(settings(1, "none")).unsubscribe();
        assertThat(links.verify(token.group(1))).contains("cus_42");
        String mailtoToken = URLDecoder.decode(
                listUnsubscribe.substring(listUnsubscribe.indexOf("subject=") + 8, listUnsubscribe.indexOf('>')),
                StandardCharsets.UTF_8);
        assertThat(mailtoToken).isEqualTo("unsubscribe " + token.group(1));

        MimeMultipart alternative = (MimeMultipart) received.getContent();
        assertThat(alternative.getContentType()).startsWith("multipart/alternative");
        assertThat(alternative.getCount()).isEqualTo(2);
        BodyPart text = alternative.getBodyPart(0);
        BodyPart html = alternative.getBodyPart(1);
        assertThat(text.getContentType()).startsWith("text/plain").containsIgnoringCase("charset=UTF-8");
        assertThat(html.getContentType()).startsWith("text/html");
        String link = links.httpsLink("cus_42");
        assertThat((String) text.getContent()).contains("your cart is waiting.").contains("Unsubscribe: " + link);
        assertThat((String) html.getContent())
                .contains("<h1>Hello Ann</h1>")
                .containsPattern(Pattern.quote("<a href=\"" + link + "\">Unsubscribe</a></p>") + "\\s*</body>");
    }

    @Test
    void shouldGiveEveryAttemptOfOneDecisionTheSameMessageIdAndOtherDecisionsAnotherOne() throws Exception {
        EmailConnector connector = plainConnector();
        Decision next = Decisions.decision(
                "email",
                "mail",
                LITERAL,
                Decisions.change("cus_42", MembershipChange.ENTERED, 4).build());

        connector.deliver(decision(LITERAL), 1);
        connector.deliver(decision(LITERAL), 2);
        connector.deliver(next, 1);

        assertThat(smtp.waitForIncomingEmail(WAIT_MS, 3)).isTrue();
        MimeMessage[] received = smtp.getReceivedMessages();
        assertThat(received[0].getMessageID()).isEqualTo(received[1].getMessageID());
        assertThat(received[2].getMessageID()).isNotEqualTo(received[0].getMessageID());
        assertThat(received[2].getHeader("X-Cx-Idempotency-Key", null)).isEqualTo("welcome:mail:cus_42:4");
    }

    @Test
    void shouldUseRenderedContentAndPutTheLinkWhereTheTemplateAsks() throws Exception {
        RenderedContent rendered = new RenderedContent(
                "Rendered subject",
                null,
                "<p>Hi &amp; welcome</p><p><a href=\"{{unsubscribeUrl}}\">Stop these emails</a></p>",
                Map.of());

        Delivery delivery = plainConnector().deliver(decision(LITERAL), SendContext.of(rendered), 1);

        assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.SENT);
        assertThat(smtp.waitForIncomingEmail(WAIT_MS, 1)).isTrue();
        MimeMessage received = smtp.getReceivedMessages()[0];
        assertThat(received.getSubject()).isEqualTo("Rendered subject");
        MimeMultipart alternative = (MimeMultipart) received.getContent();
        String link = config(settings(1, "none")).unsubscribe().httpsLink("cus_42");
        String html = (String) alternative.getBodyPart(1).getContent();
        assertThat(html)
                .contains("<a href=\"" + link + "\">Stop these emails</a>")
                .doesNotContain(">Unsubscribe<");
        String text = (String) alternative.getBodyPart(0).getContent();
        assertThat(text).contains("Hi & welcome").doesNotContain("<p>").contains(link);
    }

    @Test
    void shouldAuthenticateAndReportRejectedCredentialsAsPermanent() throws Exception {
        smtp.setUser("relay@shop.example", "relay", "right");
        Map<String, String> good = settings(smtp.getSmtp().getPort(), "none");
        good.put("activation.email.smtp.username", "relay");
        good.put("activation.email.smtp.password", "right");
        Map<String, String> bad = new HashMap<>(good);
        bad.put("activation.email.smtp.password", "wrong");

        Delivery sent = new EmailConnector(config(good)).deliver(decision(LITERAL), 1);
        Delivery refused = new EmailConnector(config(bad)).deliver(decision(LITERAL), 1);

        assertThat(sent.outcome()).isEqualTo(Delivery.Outcome.SENT);
        assertThat(refused.outcome()).isEqualTo(Delivery.Outcome.PERMANENT);
        assertThat(refused.providerStatus()).isBetween(500, 599);
        assertThat(refused.reason()).doesNotContain("wrong");
        assertThat(smtp.waitForIncomingEmail(WAIT_MS, 1)).isTrue();
        assertThat(smtp.getReceivedMessages()).hasSize(1);
    }

    @Test
    void shouldSendOverImplicitTls() throws Exception {
        GreenMail smtps = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS));
        smtps.start();
        try {
            Map<String, String> s = settings(smtps.getSmtps().getPort(), "implicit");
            s.put("activation.email.smtp.ssl-trust", "127.0.0.1");

            Delivery delivery = new EmailConnector(config(s)).deliver(decision(LITERAL), 1);

            assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.SENT);
            assertThat(smtps.waitForIncomingEmail(WAIT_MS, 1)).isTrue();
            assertThat(smtps.getReceivedMessages()[0].getHeader("X-Cx-Idempotency-Key", null))
                    .isEqualTo("welcome:mail:cus_42:3");
        } finally {
            smtps.stop();
        }
    }

    @Test
    void shouldRefuseToSendInTheClearWhenStartTlsIsRequiredButNotOffered() throws Exception {
        Delivery delivery = new EmailConnector(config(settings(smtp.getSmtp().getPort(), "starttls")))
                .deliver(decision(LITERAL), 1);

        assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.PERMANENT);
        assertThat(delivery.reason()).containsIgnoringCase("STARTTLS");
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "GREETING,    421 4.3.2 service not available,        RETRIABLE, 421",
        "MAIL,        451 4.7.1 greylisted try again later,   RETRIABLE, 451",
        "RCPT,        452 4.2.2 mailbox full,                 RETRIABLE, 452",
        "RCPT,        550 5.1.1 no such user,                 PERMANENT, 550",
        "MAIL,        553 5.7.1 sender not allowed,           PERMANENT, 553",
        "DATA,        554 5.3.0 transaction failed,           PERMANENT, 554",
        "END_OF_DATA, 451 4.3.0 temporary local problem,      RETRIABLE, 451",
        "END_OF_DATA, 552 5.3.4 message too big,              PERMANENT, 552"
    })
    void shouldClassifySmtpRepliesTransientAsRetriableAndPermanentAsPermanent(
            Stage stage, String reply, Delivery.Outcome expected, int code) throws Exception {
        try (ScriptedSmtpServer relay = new ScriptedSmtpServer().reply(stage, reply)) {
            Delivery delivery =
                    new EmailConnector(config(settings(relay.port(), "none"))).deliver(decision(LITERAL), 1);

            assertThat(delivery.outcome()).isEqualTo(expected);
            assertThat(delivery.providerStatus()).isEqualTo(code);
            assertThat(delivery.reason()).contains(String.valueOf(code));
            assertThat(relay.accepted()).isZero();
        }
    }

    @Test
    void shouldReportRetriableWhenTheRelayCannotBeReached() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }

        Delivery delivery = new EmailConnector(config(settings(port, "none"))).deliver(decision(LITERAL), 1);

        assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.RETRIABLE);
        assertThat(delivery.providerStatus()).isNull();
    }

    @Test
    void shouldFailPermanentlyWithoutSendingWhenAddressOrContentIsMissing() throws Exception {
        EmailConnector connector = plainConnector();
        Decision noEmail = Decisions.decision(
                "email",
                "mail",
                LITERAL,
                Decisions.change("cus_5", MembershipChange.ENTERED, 1)
                        .setEmail(null)
                        .setIdentities(Map.of("phone", List.of("+393331234567")))
                        .build());

        Delivery unaddressed = connector.deliver(noEmail, 1);
        Delivery noSubject = connector.deliver(decision(Map.of("text", "hi")), 1);
        Delivery noBody = connector.deliver(decision(Map.of("subject", "hi")), 1);

        assertThat(unaddressed.outcome()).isEqualTo(Delivery.Outcome.PERMANENT);
        assertThat(unaddressed.reason()).contains("no email address");
        assertThat(noSubject.outcome()).isEqualTo(Delivery.Outcome.PERMANENT);
        assertThat(noSubject.reason()).contains("subject");
        assertThat(noBody.outcome()).isEqualTo(Delivery.Outcome.PERMANENT);
        assertThat(noBody.reason()).contains("body");
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    @Test
    void shouldTrackLinksAndOpensOfTheHtmlPartWhenTrackingIsConfigured() throws Exception {
        Map<String, String> settings = settings(smtp.getSmtp().getPort(), "none");
        settings.put("activation.tracking.base-url", "https://t.shop.example/");
        settings.put("activation.tracking.secret", "track-secret");
        EmailConfig config = config(settings);
        EmailConnector connector = new EmailConnector(config);
        Map<String, String> content = Map.of(
                "subject", "Sale",
                "text", "Sale at https://shop.example/sale",
                "html", "<html><body><p><a href=\"https://shop.example/sale?x=1&amp;y=2\">Sale</a></p></body></html>");

        connector.deliver(decision(content), 1);
        connector.deliver(decision(content), 2);

        assertThat(smtp.waitForIncomingEmail(WAIT_MS, 2)).isTrue();
        MimeMessage first = smtp.getReceivedMessages()[0];
        MimeMultipart alternative = (MimeMultipart) first.getContent();
        String text = (String) alternative.getBodyPart(0).getContent();
        String html = (String) alternative.getBodyPart(1).getContent();
        TrackingLinks tracking = config.tracking().orElseThrow();
        TrackingLinks.Target target = new TrackingLinks.Target("welcome:mail:cus_42:3", "high-value");
        String unsubscribe = config.unsubscribe().httpsLink("cus_42");
        assertThat(text).contains("Sale at https://shop.example/sale").doesNotContain("t.shop.example");
        assertThat(html)
                .contains(
                        "<a href=\"" + EmailBody.escape(tracking.clickUrl(target, "https://shop.example/sale?x=1&y=2"))
                                + "\">Sale</a>")
                .contains("<a href=\"" + unsubscribe + "\">Unsubscribe</a>")
                .containsPattern(Pattern.quote("<img src=\"" + EmailBody.escape(tracking.pixelUrl(target)) + "\"")
                        + "[^>]*>\\s*</body>");
        assertThat(first.getHeader("List-Unsubscribe", null).replaceAll("\\s+", " "))
                .contains("<" + unsubscribe + ">");
        MimeMultipart second = (MimeMultipart) smtp.getReceivedMessages()[1].getContent();
        assertThat((String) second.getBodyPart(1).getContent()).isEqualTo(html);
    }

    @Test
    void shouldRequireTheTrackingSecretWithATrackingBaseUrl() {
        Map<String, String> noSecret = settings(25, "none");
        noSecret.put("activation.tracking.base-url", "https://t.shop.example");
        assertThatThrownBy(() -> config(noSecret))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("activation.tracking.secret");
        Map<String, String> notHttp = settings(25, "none");
        notHttp.put("activation.tracking.base-url", "ftp://t.shop.example");
        notHttp.put("activation.tracking.secret", "s");
        assertThatThrownBy(() -> config(notHttp))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("activation.tracking.base-url");
        assertThat(config(settings(25, "none")).tracking()).isEmpty();
    }

    @Test
    void shouldNameTheKeyOfEveryMissingOrInvalidSetting() {
        assertThat(EmailConfig.from(ConfigSource.of(Map.of()))).isEmpty();

        Map<String, String> noFrom = settings(25, "none");
        noFrom.remove("activation.email.from");
        assertThatThrownBy(() -> config(noFrom))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("activation.email.from");
        Map<String, String> noUnsubscribe = settings(25, "none");
        noUnsubscribe.remove("activation.email.unsubscribe.url");
        assertThatThrownBy(() -> config(noUnsubscribe))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("activation.email.unsubscribe.url");
        Map<String, String> noSecret = settings(25, "none");
        noSecret.remove("activation.email.unsubscribe.secret");
        assertThatThrownBy(() -> config(noSecret))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("activation.email.unsubscribe.secret");
        Map<String, String> badTls = settings(25, "sometimes");
        assertThatThrownBy(() -> config(badTls))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("activation.email.smtp.tls");
        Map<String, String> userWithoutPassword = settings(25, "none");
        userWithoutPassword.put("activation.email.smtp.username", "relay");
        assertThatThrownBy(() -> config(userWithoutPassword))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("activation.email.smtp.password");

        EmailConfig config = config(settings(25, "none"));
        assertThat(config.messageIdDomain()).isEqualTo("shop.example");
        assertThat(config.toString()).doesNotContain("unsub-secret");
    }
}
