package io.cxflow.activation.workflow;

import io.cxflow.activation.template.MessageTemplates;
import java.util.Objects;
import java.util.Set;

/**
 * What a deployment accepts in a workflow on save, besides the shape itself.
 *
 * @param channels the channels configured on this deployment; a step naming another is refused
 * @param templates compiles the content settings of send steps
 * @param eventTriggers whether event triggers can run here (they need the analytics query API,
 *     {@code activation.profiles.url}, to resolve an event's customer)
 */
public record WorkflowRules(Set<String> channels, MessageTemplates templates, boolean eventTriggers) {

    public WorkflowRules {
        channels = Set.copyOf(channels);
        Objects.requireNonNull(templates, "templates");
    }

    /** Every channel of the contract and every trigger: the shape alone. */
    public static WorkflowRules all() {
        return new WorkflowRules(Channels.ALL, new MessageTemplates(), true);
    }
}
