package io.cxflow.collector.importer;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The outcome of an import.
 *
 * @param records rows read (header excluded)
 * @param accepted rows published and acknowledged by the broker
 * @param rejected rows refused (in the reject file and on {@code cx.events.rejected.v1})
 * @param took how long it ran
 * @param rejectFile the reject file, or null when no row was refused
 */
public record ImportReport(long records, long accepted, long rejected, Duration took, Path rejectFile) {

    /** Accepted rows per second. */
    public double rate() {
        double seconds = took.toNanos() / 1e9;
        return seconds <= 0 ? 0 : accepted / seconds;
    }
}
