package io.cxflow.activation.channel.email;

import io.cxflow.activation.channel.ChannelConnector;
import io.cxflow.activation.channel.ContactPoints;
import io.cxflow.activation.channel.Delivery;
import io.cxflow.activation.channel.RenderedContent;
import io.cxflow.activation.channel.SendContext;
import io.cxflow.activation.channel.Undeliverable;
import io.cxflow.activation.decision.Decision;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;

/**
 * The {@code email} channel: one message per decision through an SMTP relay (Jakarta Mail, Eclipse
 * Angus). Each message has
 *
 * <ul>
 *   <li>a {@code Message-ID} derived from the decision's idempotency key ({@link #messageId}), the same
 *       on every attempt, so a relay or mailbox that deduplicates on it shows one message, and the key
 *       itself in {@code X-Cx-Idempotency-Key};
 *   <li>{@code List-Unsubscribe} ({@code mailto:} when configured, and {@code https}) with RFC 8058
 *       {@code List-Unsubscribe-Post: List-Unsubscribe=One-Click}, and the link in the body ({@link
 *       EmailBody});
 *   <li>a {@code multipart/alternative} body with a {@code text/plain} and a {@code text/html} part, in
 *       UTF-8;
 *   <li>when tracking is configured ({@link EmailConfig#tracking()}), the http(s) links of the HTML part
 *       (but the unsubscribe link) through signed click-tracking links and an open pixel ({@link
 *       TrackedHtml}).
 * </ul>
 *
 * The recipient is the customer's preferred email (else the first of the snapshot); subject and body
 * come from the rendered content, else from the step's {@code subject}, {@code text} and {@code html}
 * settings. Failures are classified by {@link SmtpFailures}: {@code 4xx} and network errors retriable,
 * {@code 5xx} permanent. Every attempt opens its own SMTP connection. Thread-safe.
 */
public final class EmailConnector implements ChannelConnector {

    public static final String CHANNEL = "email";
    public static final String IDEMPOTENCY_KEY_HEADER = "X-Cx-Idempotency-Key";

    private final EmailConfig config;
    private final Session session;

    public EmailConnector(EmailConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.session = Session.getInstance(properties(config));
    }

    static Properties properties(EmailConfig config) {
        String p = "mail." + config.protocol() + ".";
        Properties props = new Properties();
        props.setProperty("mail.transport.protocol", config.protocol());
        props.setProperty(p + "host", config.host());
        props.setProperty(p + "port", String.valueOf(config.port()));
        props.setProperty(
                p + "connectiontimeout", String.valueOf(config.connectTimeout().toMillis()));
        props.setProperty(p + "timeout", String.valueOf(config.timeout().toMillis()));
        props.setProperty(p + "writetimeout", String.valueOf(config.timeout().toMillis()));
        props.setProperty(p + "auth", String.valueOf(config.username().isPresent()));
        props.setProperty(p + "from", config.from().getAddress());
        switch (config.tls()) {
            case STARTTLS -> {
                props.setProperty(p + "starttls.enable", "true");
                props.setProperty(p + "starttls.required", "true");
            }
            case IMPLICIT -> props.setProperty(p + "ssl.enable", "true");
            case NONE -> {
                props.setProperty(p + "starttls.enable", "false");
            }
        }
        if (config.sslTrust().isEmpty()) {
            props.setProperty(p + "ssl.checkserveridentity", "true");
        } else {
            // hosts named here are trusted as they are: their certificate is not validated
            props.setProperty(p + "ssl.trust", String.join(" ", config.sslTrust()));
            props.setProperty(p + "ssl.checkserveridentity", "false");
        }
        return props;
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public Delivery deliver(Decision decision, int attempt) throws InterruptedException {
        return deliver(decision, SendContext.none(), attempt);
    }

    @Override
    public Delivery deliver(Decision decision, SendContext context, int attempt) throws InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("stopping before the SMTP attempt");
        }
        long start = System.nanoTime();
        MimeMessage message;
        try {
            message = message(decision, context);
        } catch (Undeliverable e) {
            return e.toDelivery(elapsed(start));
        }
        try (Transport transport = session.getTransport(config.protocol())) {
            transport.connect(
                    config.host(),
                    config.port(),
                    config.username().orElse(null),
                    config.password().orElse(null));
            transport.sendMessage(message, message.getAllRecipients());
        } catch (MessagingException e) {
            return SmtpFailures.delivery(e, elapsed(start));
        }
        return new Delivery(Delivery.Outcome.SENT, 250, elapsed(start), null, null, null);
    }

    /**
     * The message of a decision, ready to send: a function of the decision and its context (apart from
     * the {@code Date} header), so every attempt carries the same {@code Message-ID} and content.
     *
     * @throws Undeliverable when there is no recipient, subject or body
     */
    public MimeMessage message(Decision decision, SendContext context) throws Undeliverable {
        String to = ContactPoints.email(decision.change())
                .orElseThrow(() -> new Undeliverable("the customer has no email address"));
        RenderedContent content = RenderedContent.resolve(context, decision.settings());
        if (!content.hasSubject()) {
            throw new Undeliverable("no email subject: no rendered template and no 'subject' setting on the step");
        }
        if (!content.hasText() && !content.hasHtml()) {
            throw new Undeliverable("no email body: no rendered template and no 'text' or 'html' setting on the step");
        }
        String customerId = decision.customerId();
        UnsubscribeLinks unsubscribe = config.unsubscribe();
        String unsubscribeLink = unsubscribe.httpsLink(customerId);
        EmailBody body = EmailBody.of(
                content.hasText() ? content.text() : null, content.hasHtml() ? content.html() : null, unsubscribeLink);
        String html = config.tracking()
                .map(tracking -> TrackedHtml.apply(
                        body.html(),
                        tracking,
                        new TrackingLinks.Target(
                                decision.key().value(), decision.change().getSegmentId()),
                        Set.of(unsubscribeLink)))
                .orElse(body.html());
        try {
            MimeMessage message = new IdentifiedMessage(session, messageId(decision, config.messageIdDomain()));
            message.setFrom(config.from());
            if (config.replyTo().isPresent()) {
                message.setReplyTo(new InternetAddress[] {config.replyTo().get()});
            }
            message.setRecipient(Message.RecipientType.TO, recipient(to));
            message.setSubject(content.subject(), StandardCharsets.UTF_8.name());
            message.setHeader(IDEMPOTENCY_KEY_HEADER, decision.key().value());
            message.setHeader("List-Unsubscribe", unsubscribe.listUnsubscribeHeader(customerId));
            message.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");

            MimeBodyPart textPart = new MimeBodyPart();
            textPart.setText(body.text(), StandardCharsets.UTF_8.name(), "plain");
            MimeBodyPart htmlPart = new MimeBodyPart();
            htmlPart.setText(html, StandardCharsets.UTF_8.name(), "html");
            MimeMultipart alternative = new MimeMultipart("alternative");
            alternative.addBodyPart(textPart);
            alternative.addBodyPart(htmlPart);
            message.setContent(alternative);
            message.saveChanges();
            return message;
        } catch (MessagingException e) {
            throw new Undeliverable("cannot build the email: " + SmtpFailures.describe(e));
        }
    }

    private static InternetAddress recipient(String address) throws Undeliverable {
        try {
            return new InternetAddress(address, true);
        } catch (AddressException e) {
            throw new Undeliverable("the customer's email address is not valid for SMTP");
        }
    }

    /**
     * The {@code Message-ID} of a decision: {@code <cx.<first 32 hex digits of SHA-256(key)>@<domain>>}.
     * The same decision always gets the same id; different decisions practically never share one.
     */
    public static String messageId(Decision decision, String domain) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(decision.key().value().getBytes(StandardCharsets.UTF_8));
            return "<cx." + HexFormat.of().formatHex(digest, 0, 16) + "@" + domain + ">";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static Duration elapsed(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    @Override
    public String toString() {
        return "EmailConnector[" + config + "]";
    }

    /** A message whose {@code Message-ID} is set by us, not generated when changes are saved. */
    private static final class IdentifiedMessage extends MimeMessage {
        private final String id;

        IdentifiedMessage(Session session, String id) {
            super(session);
            this.id = id;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", id);
        }
    }
}
