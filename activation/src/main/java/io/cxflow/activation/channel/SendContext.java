package io.cxflow.activation.channel;

import io.cxflow.avro.CustomerProfile;
import java.util.Optional;

/**
 * What the engine hands a connector besides the {@link io.cxflow.activation.decision.Decision}: the
 * content rendered from the step's template, and the customer's profile as read at send time. Both
 * are optional. A connector that needs content and is given none falls back to literal content in the
 * step's settings ({@link RenderedContent#fromSettings}); a connector that wants profile context
 * (the agent task) uses what the membership change carries when no profile is given.
 *
 * @param content the rendered message, or {@code null}
 * @param profile the latest profile of the decision's customer, or {@code null}
 */
public record SendContext(RenderedContent content, CustomerProfile profile) {

    private static final SendContext NONE = new SendContext(null, null);

    /** No rendered content and no profile. */
    public static SendContext none() {
        return NONE;
    }

    public static SendContext of(RenderedContent content) {
        return new SendContext(content, null);
    }

    public Optional<RenderedContent> renderedContent() {
        return Optional.ofNullable(content);
    }

    public Optional<CustomerProfile> latestProfile() {
        return Optional.ofNullable(profile);
    }

    @Override
    public String toString() {
        // content and profile carry PII
        return "SendContext[content=" + (content != null) + ", profile=" + (profile != null) + "]";
    }
}
