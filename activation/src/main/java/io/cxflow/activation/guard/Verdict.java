package io.cxflow.activation.guard;

import java.time.Instant;
import java.util.Objects;

/**
 * What the guardrails decided for one decision at send time.
 *
 * @param kind send now, skip, or defer
 * @param reason why it was skipped or deferred; {@code null} to send
 * @param until {@link Kind#DEFER}: when it may be sent; otherwise {@code null}
 */
public record Verdict(Kind kind, String reason, Instant until) {

    /** The kinds of verdict. */
    public enum Kind {
        SEND,
        SKIP,
        DEFER
    }

    private static final Verdict SEND = new Verdict(Kind.SEND, null, null);

    public Verdict {
        Objects.requireNonNull(kind, "kind");
    }

    public static Verdict send() {
        return SEND;
    }

    public static Verdict skip(String reason) {
        return new Verdict(Kind.SKIP, Objects.requireNonNull(reason, "reason"), null);
    }

    public static Verdict defer(String reason, Instant until) {
        return new Verdict(
                Kind.DEFER, Objects.requireNonNull(reason, "reason"), Objects.requireNonNull(until, "until"));
    }
}
