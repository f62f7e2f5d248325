package io.cxflow.analytics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a stream thread dies (records are never the cause: they are rejected by the
 * handlers; a dead thread means an outage or a bug). The thread is replaced, so processing resumes from
 * the last committed offsets once the dependency is back; more than {@code maxReplacements} deaths
 * within {@code window} shut the Streams client down instead of looping, which turns readiness false.
 */
final class StreamFailurePolicy implements StreamsUncaughtExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(StreamFailurePolicy.class);

    private final int maxReplacements;
    private final Duration window;
    private final Clock clock;
    private final Deque<Instant> replacements = new ArrayDeque<>();

    StreamFailurePolicy(int maxReplacements, Duration window, Clock clock) {
        this.maxReplacements = maxReplacements;
        this.window = Objects.requireNonNull(window, "window");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        Instant now = clock.instant();
        while (!replacements.isEmpty() && replacements.peekFirst().isBefore(now.minus(window))) {
            replacements.removeFirst();
        }
        if (replacements.size() >= maxReplacements) {
            LOG.error(
                    "stream thread failed {} times within {}: shutting the analytics Streams client down",
                    replacements.size() + 1,
                    window,
                    exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        replacements.addLast(now);
        LOG.error("stream thread failed, replacing it; processing resumes from the last commit", exception);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}
