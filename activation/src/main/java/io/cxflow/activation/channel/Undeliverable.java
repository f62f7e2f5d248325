package io.cxflow.activation.channel;

import java.time.Duration;

/**
 * A decision cannot be delivered as asked, and asking again will not change that: the customer has no
 * address on the channel, the step has no content, a setting is missing or invalid. Connectors turn
 * it into a {@link Delivery.Outcome#PERMANENT} delivery whose reason is this message, which must not
 * contain personal data.
 */
public final class Undeliverable extends Exception {

    private static final long serialVersionUID = 1L;

    public Undeliverable(String reason) {
        super(reason, null, false, false);
    }

    /** The permanent delivery this failure amounts to. */
    public Delivery toDelivery(Duration latency) {
        return new Delivery(Delivery.Outcome.PERMANENT, null, latency, null, getMessage(), null);
    }
}
