package io.cxflow.activation.feedback;

import java.util.Locale;
import java.util.Optional;

/**
 * What a provider reports about a message in a delivery receipt, with the event it becomes
 * ({@link #eventName}).
 */
public enum ReceiptStatus {
    /** The message reached the device or mailbox: {@code <Channel> Delivered}. */
    DELIVERED("delivered", "delivered"),
    /** It will never be delivered (after the provider accepted it): {@code Message Failed}. */
    FAILED("failed", "delivery-failed"),
    /** The mailbox or number refused it: {@code <Channel> Bounced}. */
    BOUNCED("bounced", "bounced"),
    /** The customer opened it: {@code <Channel> Opened}. */
    OPENED("opened", "opened"),
    /** The customer followed a link in it: {@code <Channel> Link Clicked}. */
    CLICKED("clicked", "clicked"),
    /** The customer reported it as spam: {@code <Channel> Marked as Spam}. */
    COMPLAINED("complained", "complained"),
    /** The customer asked to receive no more (an SMS STOP, a provider's unsubscribe): {@code Consent Updated}. */
    UNSUBSCRIBED("unsubscribed", "unsubscribed");

    private final String wire;
    private final String outcome;

    ReceiptStatus(String wire, String outcome) {
        this.wire = wire;
        this.outcome = outcome;
    }

    /** The value in the receipt's {@code status} field. */
    /** Whether the customer did it (opened, clicked, complained, unsubscribed) rather than the provider. */
    public boolean customerAction() {
        return this == OPENED || this == CLICKED || this == COMPLAINED || this == UNSUBSCRIBED;
    }

    public String wire() {
        return wire;
    }

    /** The outcome word of the event's {@code messageId}. */
    String outcome() {
        return outcome;
    }

    /** The event name of this status on {@code channel}. */
    public String eventName(String channel) {
        String label = FeedbackEvents.label(channel);
        return switch (this) {
            case DELIVERED -> label + " Delivered";
            case FAILED -> FeedbackEvents.MESSAGE_FAILED;
            case BOUNCED -> label + " Bounced";
            case OPENED -> label + " Opened";
            case CLICKED -> label + " Link Clicked";
            case COMPLAINED -> label + " Marked as Spam";
            case UNSUBSCRIBED -> FeedbackEvents.CONSENT_UPDATED;
        };
    }

    /** The status named {@code text} (any case), if any. */
    public static Optional<ReceiptStatus> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String wire = text.trim().toLowerCase(Locale.ROOT);
        for (ReceiptStatus status : values()) {
            if (status.wire.equals(wire)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}
