package io.cxflow.activation.workflow;

import io.cxflow.activation.template.MessageTemplates;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * What a deployment accepts in a workflow on save, besides the shape itself.
 *
 * @param channels the channels configured on this deployment; a step naming another is refused
 * @param templates compiles the content settings of send steps
 * @param eventTriggers whether event triggers can run here (they need the analytics query API,
 *     {@code activation.profiles.url}, to resolve an event's customer)
 * @param perCustomerWindow the longest window of a {@code perCustomer} limit: how long the ledger
 *     remembers decisions ({@code activation.ledger.retention})
 * @param totalWindow the longest window of a {@code total} limit: how far back effects are counted
 *     ({@code activation.limits.total-lookback})
 */
public record WorkflowRules(
        Set<String> channels,
        MessageTemplates templates,
        boolean eventTriggers,
        Duration perCustomerWindow,
        Duration totalWindow) {

    /** The longest {@code perCustomer} window by default (the default ledger retention). */
    public static final Duration DEFAULT_PER_CUSTOMER_WINDOW = Duration.ofDays(30);
    /** The longest {@code total} window by default (the default {@code activation.limits.total-lookback}). */
    public static final Duration DEFAULT_TOTAL_WINDOW = Duration.ofDays(1);

    public WorkflowRules {
        channels = Set.copyOf(channels);
        Objects.requireNonNull(templates, "templates");
        Objects.requireNonNull(perCustomerWindow, "perCustomerWindow");
        Objects.requireNonNull(totalWindow, "totalWindow");
    }

    /** The given channels, templates and triggers, with the default limit windows. */
    public WorkflowRules(Set<String> channels, MessageTemplates templates, boolean eventTriggers) {
        this(channels, templates, eventTriggers, DEFAULT_PER_CUSTOMER_WINDOW, DEFAULT_TOTAL_WINDOW);
    }

    /** Every channel of the contract and every trigger: the shape alone. */
    public static WorkflowRules all() {
        return new WorkflowRules(Channels.ALL, new MessageTemplates(), true);
    }
}
