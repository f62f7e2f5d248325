package io.cxflow.activation.workflow;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The limits of one workflow ({@code "limits": {"perCustomer": "1/7d", "total": "10000/1d"}}): at most
 * {@code max} effects of the workflow within any sliding {@code window}, per customer and across all
 * customers. An <em>effect</em> is a send step that reached its provider (a decision written {@code
 * INTENT} or {@code DONE} on the ledger, a {@code SENT} result): a run with two send steps makes two.
 * Checked at send time with the guardrails; a step over a limit is {@code SKIPPED} with the limit named.
 *
 * @param perCustomer the limit per customer, if any
 * @param total the limit across all customers, if any
 */
public record WorkflowLimits(Optional<Limit> perCustomer, Optional<Limit> total) {

    /** The key of the per-customer limit in a workflow's {@code limits}. */
    public static final String PER_CUSTOMER = "perCustomer";
    /** The key of the limit across all customers. */
    public static final String TOTAL = "total";

    /** The largest {@code max} of a limit. */
    public static final long MAX_COUNT = 1_000_000_000L;
    /** The shortest window of a limit. */
    public static final Duration MIN_WINDOW = Duration.ofMinutes(1);

    private static final WorkflowLimits NONE = new WorkflowLimits(Optional.empty(), Optional.empty());
    private static final Pattern SPEC = Pattern.compile("(\\d{1,10})\\s*/\\s*(\\d{1,6})\\s*(m|h|d)");

    /**
     * At most {@code max} effects within any {@code window}.
     *
     * @param text the limit as written, normalised ({@code 1/7d})
     */
    public record Limit(long max, Duration window, String text) {
        public Limit {
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String toString() {
            return text;
        }
    }

    public WorkflowLimits {
        Objects.requireNonNull(perCustomer, "perCustomer");
        Objects.requireNonNull(total, "total");
    }

    public static WorkflowLimits none() {
        return NONE;
    }

    /** Whether the workflow has no limit. */
    public boolean isEmpty() {
        return perCustomer.isEmpty() && total.isEmpty();
    }

    /**
     * Parses {@code <max>/<amount><unit>} (units {@code m}, {@code h}, {@code d}), e.g. {@code 1/7d}.
     *
     * @throws IllegalArgumentException describing the expected shape or the bound broken
     */
    public static Limit parse(String text) {
        Matcher m = SPEC.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "must look like 1/7d or 10000/24h: <max>/<window> with the window in m, h or d");
        }
        long max = Long.parseLong(m.group(1));
        long amount = Long.parseLong(m.group(2));
        Duration window =
                switch (m.group(3)) {
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
        if (max < 1 || max > MAX_COUNT) {
            throw new IllegalArgumentException("must allow between 1 and " + MAX_COUNT + " effects");
        }
        if (window.compareTo(MIN_WINDOW) < 0) {
            throw new IllegalArgumentException("must have a window of at least 1m");
        }
        return new Limit(max, window, max + "/" + amount + m.group(3));
    }

    /**
     * The limits stored with a workflow ({@code WorkflowDefinition.limits}); entries this version does
     * not know or cannot read are left out (they were validated when the workflow was saved).
     */
    public static WorkflowLimits of(Map<String, String> stored) {
        if (stored == null || stored.isEmpty()) {
            return NONE;
        }
        return new WorkflowLimits(read(stored.get(PER_CUSTOMER)), read(stored.get(TOTAL)));
    }

    private static Optional<Limit> read(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The form stored with the workflow and rendered back: {@code perCustomer}, then {@code total}. */
    public Map<String, String> toMap() {
        Map<String, String> out = new LinkedHashMap<>();
        perCustomer.ifPresent(l -> out.put(PER_CUSTOMER, l.text()));
        total.ifPresent(l -> out.put(TOTAL, l.text()));
        return out;
    }
}
