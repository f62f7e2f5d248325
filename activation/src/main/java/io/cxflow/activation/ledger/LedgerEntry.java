package io.cxflow.activation.ledger;

import java.time.Instant;
import java.util.Objects;

/**
 * What the ledger remembers of one decision of a customer: its idempotency key, channel, state and
 * when that state was reached.
 *
 * @param key the decision's idempotency key
 * @param channel the channel of the decision's step
 * @param state how far the decision got
 * @param at when this state was written
 * @param dueAt {@link State#DEFERRED}: when the decision may run; otherwise {@code null}
 * @param decision the decision ({@link LedgerCodec#writeDecision}): of a deferred decision and its
 *     {@code INTENT}, to run it later; of a {@code FAILED} one, to replay it from the dead-letter topic;
 *     otherwise {@code null}
 * @param retry the id of the dead-letter replay request that made this decision run again (kept through
 *     its {@code DEFERRED}, {@code INTENT} and outcome), or {@code null}
 */
public record LedgerEntry(
        String key, String channel, State state, Instant at, Instant dueAt, String decision, String retry) {

    /** The protocol states of a decision. */
    public enum State {
        /** Waiting for the end of quiet hours; run by the deferred-decision scheduler when due. */
        DEFERRED,
        /** About to call the provider: counts towards caps; on recovery the call is repeated with the same key. */
        INTENT,
        /** The provider accepted the decision: never called again for this key. */
        DONE,
        /**
         * Failed permanently or exhausted its retries (on the DLQ): not counted towards caps. Runs again
         * only through a dead-letter replay request, which turns it into {@code DEFERRED} (due at once).
         */
        FAILED,
        /** Not sent by a guardrail (no consent, suppressed, capped): a redelivery is judged again. */
        SKIPPED
    }

    public LedgerEntry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(at, "at");
    }

    /** An entry not made by a dead-letter replay. */
    public LedgerEntry(String key, String channel, State state, Instant at, Instant dueAt, String decision) {
        this(key, channel, state, at, dueAt, decision, null);
    }

    /** Whether the scheduler owns this entry: deferred, or reached {@code INTENT} from a deferred run. */
    public boolean isPending() {
        return decision != null && (state == State.DEFERRED || state == State.INTENT);
    }

    /** Whether this entry counts as a message towards frequency caps. */
    public boolean countsAsMessage() {
        return state == State.INTENT || state == State.DONE;
    }

    @Override
    public String toString() {
        return "LedgerEntry[" + key + ", " + state + "]";
    }
}
