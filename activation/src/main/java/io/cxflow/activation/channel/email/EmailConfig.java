package io.cxflow.activation.channel.email;

import io.cxflow.platform.config.ConfigException;
import io.cxflow.platform.config.ConfigKey;
import io.cxflow.platform.config.ConfigSource;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The configuration of the {@code email} channel ({@code activation.email.*}, environment {@code
 * CX_ACTIVATION_EMAIL_*}): the SMTP relay, the sender, the unsubscribe endpoints, and the open and
 * click tracking ({@code activation.tracking.*}). The channel is off while {@code
 * activation.email.smtp.host} is unset.
 *
 * @param host the SMTP relay's host
 * @param port the SMTP relay's port
 * @param tls how the connection is encrypted
 * @param username the SMTP AUTH user; empty for no authentication
 * @param password the SMTP AUTH password
 * @param sslTrust hosts whose certificates are trusted without validation ({@code *} for every host);
 *     empty to validate against the JDK's trust store and check the host name
 * @param connectTimeout bound on opening the connection
 * @param timeout bound on each read and write of the SMTP conversation
 * @param from the sender ({@code From}), e.g. {@code Shop <news@shop.example>}
 * @param replyTo the {@code Reply-To}, if any
 * @param messageIdDomain the right-hand side of generated {@code Message-ID}s
 * @param unsubscribe the unsubscribe endpoints and token secret
 * @param tracking the open and click tracking links, when {@code activation.tracking.base-url} is set
 */
public record EmailConfig(
        String host,
        int port,
        Tls tls,
        Optional<String> username,
        Optional<String> password,
        List<String> sslTrust,
        Duration connectTimeout,
        Duration timeout,
        InternetAddress from,
        Optional<InternetAddress> replyTo,
        String messageIdDomain,
        UnsubscribeLinks unsubscribe,
        Optional<TrackingLinks> tracking) {

    /** How the SMTP connection is encrypted. */
    public enum Tls {
        /** Plain SMTP, upgraded with {@code STARTTLS}; refuses to send when the server does not offer it. */
        STARTTLS,
        /** TLS from the first byte (SMTPS, usually port 465). */
        IMPLICIT,
        /** No encryption: only for a relay on the same host or a test server. */
        NONE
    }

    public static final String PREFIX = "activation.email";

    public static final ConfigKey<String> SMTP_HOST =
            ConfigKey.string(PREFIX + ".smtp.host", null, "SMTP relay host; unset turns the email channel off");
    public static final ConfigKey<Integer> SMTP_PORT =
            ConfigKey.port(PREFIX + ".smtp.port", 587, "SMTP relay port").check("not 0", p -> p != 0);
    public static final ConfigKey<Tls> SMTP_TLS = ConfigKey.enumeration(
            PREFIX + ".smtp.tls", Tls.class, Tls.STARTTLS, "starttls (required), implicit (SMTPS) or none");
    public static final ConfigKey<String> SMTP_USERNAME =
            ConfigKey.string(PREFIX + ".smtp.username", null, "SMTP AUTH user; unset sends without authentication");
    public static final ConfigKey<String> SMTP_PASSWORD =
            ConfigKey.secret(PREFIX + ".smtp.password", null, "SMTP AUTH password");
    public static final ConfigKey<List<String>> SMTP_SSL_TRUST = ConfigKey.list(
            PREFIX + ".smtp.ssl-trust",
            List.of(),
            "hosts whose TLS certificates are trusted without validation (* for all); empty validates normally");
    public static final ConfigKey<Duration> SMTP_CONNECT_TIMEOUT = ConfigKey.duration(
                    PREFIX + ".smtp.connect-timeout", Duration.ofSeconds(5), "bound on opening the SMTP connection")
            .check("greater than 0", d -> !d.isZero());
    public static final ConfigKey<Duration> SMTP_TIMEOUT = ConfigKey.duration(
                    PREFIX + ".smtp.timeout",
                    Duration.ofSeconds(20),
                    "bound on each read and write of the SMTP conversation; a timeout is retried")
            .check("greater than 0", d -> !d.isZero());
    public static final ConfigKey<String> FROM =
            ConfigKey.string(PREFIX + ".from", null, "sender address, e.g. 'Shop <news@shop.example>'");
    public static final ConfigKey<String> REPLY_TO = ConfigKey.string(PREFIX + ".reply-to", null, "Reply-To address");
    public static final ConfigKey<String> MESSAGE_ID_DOMAIN = ConfigKey.string(
            PREFIX + ".message-id-domain", null, "domain of generated Message-IDs; default: the domain of 'from'");
    public static final ConfigKey<String> UNSUBSCRIBE_URL = ConfigKey.string(
            PREFIX + ".unsubscribe.url",
            null,
            "http(s) URL of the unsubscribe endpoint; '?token=<token>' is appended (List-Unsubscribe, one-click)");
    public static final ConfigKey<String> UNSUBSCRIBE_MAILTO = ConfigKey.string(
            PREFIX + ".unsubscribe.mailto", null, "address for mailto: unsubscribe requests; unset leaves it out");
    public static final ConfigKey<String> UNSUBSCRIBE_SECRET =
            ConfigKey.secret(PREFIX + ".unsubscribe.secret", null, "HMAC-SHA256 key that signs unsubscribe tokens");

    public static final ConfigKey<String> TRACKING_BASE_URL = ConfigKey.string(
            "activation.tracking.base-url",
            null,
            "public http(s) address of activation's /t/ tracking endpoints; set: links in the HTML part of emails are"
                    + " tracked and an open pixel is added; unset: no tracking");
    public static final ConfigKey<String> TRACKING_SECRET = ConfigKey.secret(
            "activation.tracking.secret", null, "HMAC-SHA256 key that signs tracking links (required with base-url)");

    /** Every key of the channel. */
    public static final List<ConfigKey<?>> KEYS = List.of(
            SMTP_HOST,
            SMTP_PORT,
            SMTP_TLS,
            SMTP_USERNAME,
            SMTP_PASSWORD,
            SMTP_SSL_TRUST,
            SMTP_CONNECT_TIMEOUT,
            SMTP_TIMEOUT,
            FROM,
            REPLY_TO,
            MESSAGE_ID_DOMAIN,
            UNSUBSCRIBE_URL,
            UNSUBSCRIBE_MAILTO,
            UNSUBSCRIBE_SECRET,
            TRACKING_BASE_URL,
            TRACKING_SECRET);

    public EmailConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        sslTrust = List.copyOf(sslTrust);
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(replyTo, "replyTo");
        Objects.requireNonNull(messageIdDomain, "messageIdDomain");
        Objects.requireNonNull(unsubscribe, "unsubscribe");
        Objects.requireNonNull(tracking, "tracking");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535: " + port);
        }
    }

    /**
     * The channel's configuration, or empty when {@code activation.email.smtp.host} is unset.
     *
     * @throws ConfigException naming the key of every invalid or missing value
     */
    public static Optional<EmailConfig> from(ConfigSource source) {
        source.validate(KEYS);
        Optional<String> host = source.find(SMTP_HOST).map(String::trim);
        if (host.isEmpty()) {
            return Optional.empty();
        }
        InternetAddress from = address(source, FROM, true).orElseThrow();
        Optional<String> username = source.find(SMTP_USERNAME).filter(u -> !u.isBlank());
        Optional<String> password = source.find(SMTP_PASSWORD);
        if (username.isPresent() && password.isEmpty()) {
            throw new ConfigException(
                    SMTP_PASSWORD.name(),
                    SMTP_PASSWORD.name() + " is required when " + SMTP_USERNAME.name() + " is set");
        }
        String domain = source.find(MESSAGE_ID_DOMAIN).map(String::trim).orElseGet(() -> domainOf(from.getAddress()));
        URI unsubscribeUrl = unsubscribeUrl(source);
        Optional<InternetAddress> mailto = address(source, UNSUBSCRIBE_MAILTO, false);
        String secret = source.find(UNSUBSCRIBE_SECRET)
                .filter(s -> !s.isBlank())
                .orElseThrow(() -> new ConfigException(
                        UNSUBSCRIBE_SECRET.name(),
                        UNSUBSCRIBE_SECRET.name() + " is required when the email channel is on (" + SMTP_HOST.name()
                                + " is set)"));
        return Optional.of(new EmailConfig(
                host.get(),
                source.get(SMTP_PORT),
                source.get(SMTP_TLS),
                username,
                password,
                source.get(SMTP_SSL_TRUST),
                source.get(SMTP_CONNECT_TIMEOUT),
                source.get(SMTP_TIMEOUT),
                from,
                address(source, REPLY_TO, false),
                domain,
                new UnsubscribeLinks(unsubscribeUrl, mailto.map(InternetAddress::getAddress), secret),
                tracking(source)));
    }

    private static Optional<TrackingLinks> tracking(ConfigSource source) {
        Optional<String> base = source.find(TRACKING_BASE_URL).map(String::trim).filter(s -> !s.isEmpty());
        if (base.isEmpty()) {
            return Optional.empty();
        }
        URI uri = httpUrl(TRACKING_BASE_URL, base.get());
        if (uri.getRawQuery() != null) {
            throw new ConfigException(TRACKING_BASE_URL.name(), TRACKING_BASE_URL.name() + " must not have a query");
        }
        String secret = source.find(TRACKING_SECRET)
                .filter(s -> !s.isBlank())
                .orElseThrow(() -> new ConfigException(
                        TRACKING_SECRET.name(),
                        TRACKING_SECRET.name() + " is required when " + TRACKING_BASE_URL.name() + " is set"));
        return Optional.of(new TrackingLinks(uri.toString(), secret));
    }

    private static URI unsubscribeUrl(ConfigSource source) {
        String text = source.find(UNSUBSCRIBE_URL)
                .orElseThrow(() -> new ConfigException(
                        UNSUBSCRIBE_URL.name(),
                        UNSUBSCRIBE_URL.name() + " is required when the email channel is on (" + SMTP_HOST.name()
                                + " is set): every message carries an unsubscribe link"));
        return httpUrl(UNSUBSCRIBE_URL, text);
    }

    /** An http(s) URL with a host and without a fragment, else a {@link ConfigException} naming {@code key}. */
    private static URI httpUrl(ConfigKey<String> key, String text) {
        try {
            URI uri = new URI(text.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
                throw new ConfigException(key.name(), key.name() + " must be an http(s) URL with a host");
            }
            if (uri.getRawFragment() != null) {
                throw new ConfigException(key.name(), key.name() + " must not have a fragment");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException(key.name(), key.name() + " is not a valid URL: " + e.getReason());
        }
    }

    private static Optional<InternetAddress> address(ConfigSource source, ConfigKey<String> key, boolean required) {
        Optional<String> text = source.find(key).map(String::trim).filter(s -> !s.isEmpty());
        if (text.isEmpty()) {
            if (required) {
                throw new ConfigException(
                        key.name(),
                        key.name() + " is required when the email channel is on (" + SMTP_HOST.name() + " is set)");
            }
            return Optional.empty();
        }
        try {
            InternetAddress address = new InternetAddress(text.get(), true);
            if (domainOf(address.getAddress()).isEmpty()) {
                throw new AddressException("no domain", text.get());
            }
            return Optional.of(address);
        } catch (AddressException e) {
            throw new ConfigException(key.name(), key.name() + " is not a valid email address: " + e.getMessage());
        }
    }

    private static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1);
    }

    /** The JavaMail protocol name: {@code smtps} for implicit TLS, else {@code smtp}. */
    public String protocol() {
        return tls == Tls.IMPLICIT ? "smtps" : "smtp";
    }

    @Override
    public String toString() {
        return "EmailConfig[" + host + ':' + port + ", tls=" + tls + ", auth=" + username.isPresent() + ", from="
                + from.getAddress() + ", tracking="
                + tracking.map(TrackingLinks::baseUrl).orElse("off") + "]";
    }
}
