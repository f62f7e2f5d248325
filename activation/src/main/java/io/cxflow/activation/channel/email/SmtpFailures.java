package io.cxflow.activation.channel.email;

import io.cxflow.activation.channel.Delivery;
import io.cxflow.activation.channel.FailureClassifier;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.util.MailConnectException;

/**
 * Classifies a failed SMTP attempt, the email counterpart of {@link FailureClassifier}: a {@code 4xx}
 * reply (transient: greylisting, mailbox busy, too many connections, {@code 421} closing) is
 * retriable; a {@code 5xx} reply (unknown mailbox, refused relay, message rejected, authentication
 * failed) is permanent. Without a reply code, a connection that could not be opened and any I/O error
 * or timeout are retriable; anything else (a server without the required {@code STARTTLS}, an address
 * that cannot be parsed) is a permanent configuration or data problem.
 */
public final class SmtpFailures {

    private static final Pattern LEADING_CODE = Pattern.compile("^\\s*([2-5][0-9][0-9])(?:[ -]|$)");
    private static final Pattern RESPONSE_CODE = Pattern.compile("response: ([2-5][0-9][0-9])\\b");

    private SmtpFailures() {}

    /** The SMTP reply code found in {@code error} or the exceptions it chains, or {@code -1}. */
    public static int replyCode(Throwable error) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable e = error; e != null && seen.put(e, Boolean.TRUE) == null; e = next(e)) {
            int code = codeOf(e);
            if (code > 0) {
                return code;
            }
        }
        return -1;
    }

    /** The outcome of {@code error}. */
    public static Delivery.Outcome classify(Throwable error) {
        int code = replyCode(error);
        if (code >= 400 && code < 500) {
            return Delivery.Outcome.RETRIABLE;
        }
        if (code >= 500) {
            return Delivery.Outcome.PERMANENT;
        }
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable e = error; e != null && seen.put(e, Boolean.TRUE) == null; e = next(e)) {
            if (e instanceof MailConnectException) {
                return Delivery.Outcome.RETRIABLE;
            }
            if (e instanceof IOException) {
                return FailureClassifier.ofError(e);
            }
        }
        return Delivery.Outcome.PERMANENT;
    }

    /** The delivery of a failed attempt: its outcome, the reply code as provider status, and a reason. */
    public static Delivery delivery(MessagingException error, Duration latency) {
        int code = replyCode(error);
        Delivery.Outcome outcome = classify(error);
        String reason = "SMTP " + (code > 0 ? code + " " : "")
                + (outcome == Delivery.Outcome.RETRIABLE ? "transient" : "permanent") + " failure: " + describe(error);
        return new Delivery(outcome, code > 0 ? code : null, latency, null, reason, null);
    }

    /** The messages of the exception chain, without duplicates, bounded. */
    static String describe(Throwable error) {
        StringBuilder out = new StringBuilder();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable e = error; e != null && seen.put(e, Boolean.TRUE) == null; e = next(e)) {
            String part =
                    FailureClassifier.describe(e).replaceAll("[\\r\\n]+", " ").trim();
            if (out.indexOf(part) < 0) {
                if (!out.isEmpty()) {
                    out.append("; ");
                }
                out.append(part);
            }
        }
        return out.length() > 400 ? out.substring(0, 400) + "…" : out.toString();
    }

    private static int codeOf(Throwable e) {
        if (e instanceof SMTPSendFailedException s) {
            return s.getReturnCode();
        }
        if (e instanceof SMTPAddressFailedException a) {
            return a.getReturnCode();
        }
        if (e instanceof SMTPSenderFailedException s) {
            return s.getReturnCode();
        }
        String message = e.getMessage();
        if (message == null || !(e instanceof MessagingException)) {
            return -1;
        }
        Matcher leading = LEADING_CODE.matcher(message);
        if (leading.find()) {
            return Integer.parseInt(leading.group(1));
        }
        Matcher response = RESPONSE_CODE.matcher(message);
        return response.find() ? Integer.parseInt(response.group(1)) : -1;
    }

    private static Throwable next(Throwable e) {
        if (e instanceof MessagingException m && m.getNextException() != null) {
            return m.getNextException();
        }
        return e.getCause();
    }
}
