package io.cxflow.activation;

import io.cxflow.activation.channel.Delivery;
import io.cxflow.avro.ActivationStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Objects;
import java.util.function.Supplier;

/** Every metric the activation service records; names are constants here and nowhere else. */
public final class ActivationMetrics {

    /** Counter: decisions that reached a final status, tags {@code channel}, {@code status}. */
    public static final String DISPATCHED = "cx.activation.dispatched";
    /** Timer: one delivery attempt to a provider, tags {@code channel}, {@code outcome}. */
    public static final String DELIVERY_LATENCY = "cx.activation.delivery.latency";
    /** Counter: attempts that were retried, tag {@code channel}. */
    public static final String RETRIES = "cx.activation.retries";
    /**
     * Counter: feedback events written to {@code cx.events.v1}, tags {@code channel}, {@code event}
     * (the event name, or {@value #FEEDBACK_UNROUTABLE} for an outcome of a customer without a recipient).
     */
    public static final String FEEDBACK_EVENTS = "cx.activation.feedback.events";
    /** The {@code event} tag of an outcome that became no event: its customer has no recipient. */
    public static final String FEEDBACK_UNROUTABLE = "unroutable";
    /** Counter: membership changes processed (committed), whether or not a workflow matched. */
    public static final String CHANGES = "cx.activation.membership.changes";
    /** Counter: membership records that could not be read or processed and were skipped. */
    public static final String SKIPPED_RECORDS = "cx.activation.records.skipped";
    /** Gauge: workflows in the in-memory view. */
    public static final String WORKFLOWS = "cx.activation.workflows";
    /**
     * Counter: events of the event-trigger bridge by {@code outcome}: {@code triggered}, {@code
     * unresolved} (skipped), {@code too-old}, {@code retried} (analytics could not answer).
     */
    public static final String EVENT_TRIGGERS = "cx.activation.event-triggers";

    private final MeterRegistry registry;

    public ActivationMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void dispatched(String channel, ActivationStatus status) {
        Counter.builder(DISPATCHED)
                .description("activation decisions by final status")
                .tag("channel", channel)
                .tag("status", status.name())
                .register(registry)
                .increment();
    }

    public void attempt(String channel, Delivery delivery) {
        Timer.builder(DELIVERY_LATENCY)
                .description("duration of one delivery attempt to a provider")
                .tag("channel", channel)
                .tag("outcome", delivery.outcome().name())
                .publishPercentileHistogram()
                .register(registry)
                .record(delivery.latency());
    }

    public void retry(String channel) {
        Counter.builder(RETRIES)
                .description("delivery attempts that were retried")
                .tag("channel", channel)
                .register(registry)
                .increment();
    }

    public void feedbackEvent(String channel, String event) {
        Counter.builder(FEEDBACK_EVENTS)
                .description("feedback events written to cx.events.v1 (or not routable)")
                .tag("channel", channel)
                .tag("event", event)
                .register(registry)
                .increment();
    }

    public void changes(int count) {
        Counter.builder(CHANGES)
                .description("membership changes processed")
                .register(registry)
                .increment(count);
    }

    public void skippedRecord(String reason) {
        Counter.builder(SKIPPED_RECORDS)
                .description("membership records skipped because they could not be read or processed")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    public void eventTrigger(String outcome) {
        Counter.builder(EVENT_TRIGGERS)
                .description("events of the event-trigger bridge by outcome")
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    public void workflowGauge(Supplier<Number> size) {
        io.micrometer.core.instrument.Gauge.builder(WORKFLOWS, size)
                .description("workflows in the in-memory view")
                .register(registry);
    }
}
