package io.cxflow.analytics.segment.internal;

/**
 * The latest evaluation time a task used, so that an earlier answer is reused only at a time not before
 * any evaluation it came from. Evaluations happen at the wall clock; when the wall clock steps back (a
 * corrected clock, a task moved to a machine whose clock is behind), {@link #observe} says so until the
 * wall clock passes the latest time used again, and nothing is reused meanwhile — evaluation times
 * themselves are never shifted, so a clock once wrong does not hold segments at a wrong time.
 *
 * <p>Kept across restarts through a stored mark, written at most once per {@link #STEP_MS} and always at
 * or after every time used: after a restart the mark stands for the times used before.
 */
public final class EvaluationClock {

    /** How far ahead of the latest time used the stored mark is written. */
    public static final long STEP_MS = 1_000;

    private long latest;
    private long stored;

    /** A clock that resumes from a stored mark ({@code 0} when none). */
    public EvaluationClock(long storedMark) {
        this.latest = storedMark;
        this.stored = storedMark;
    }

    /**
     * Takes the wall clock as the next evaluation time.
     *
     * @return whether it is at or after every evaluation time used before (earlier answers may be reused)
     */
    public boolean observe(long wallClock) {
        boolean ordered = wallClock >= latest;
        latest = Math.max(latest, wallClock);
        return ordered;
    }

    /** The mark to store now, or {@code -1} when the stored one still covers every time used. */
    public long markToStore() {
        if (latest <= stored) {
            return -1;
        }
        stored = latest + STEP_MS;
        return stored;
    }
}
