package io.cxflow.collector.importer;

import java.time.Duration;

/** Told after every published chunk, so a command line can draw a progress bar with a rate and an ETA. */
@FunctionalInterface
public interface ImportProgress {

    /**
     * @param status how far the import is
     */
    void update(Status status);

    /** Reports nothing. */
    ImportProgress NONE = status -> {};

    /**
     * @param records rows read so far
     * @param accepted rows acknowledged by the broker so far
     * @param rejected rows refused so far
     * @param bytesRead bytes of the file (as stored, compressed or not) read so far
     * @param totalBytes the file's size
     * @param elapsed time since the import started
     */
    record Status(long records, long accepted, long rejected, long bytesRead, long totalBytes, Duration elapsed) {

        /** Accepted rows per second so far. */
        public double rate() {
            double seconds = elapsed.toNanos() / 1e9;
            return seconds <= 0 ? 0 : accepted / seconds;
        }

        /** Fraction of the file read, 0 to 1. */
        public double fraction() {
            return totalBytes <= 0 ? 1 : Math.min(1, (double) bytesRead / totalBytes);
        }

        /** The remaining time at the pace so far, or null before anything was read. */
        public Duration eta() {
            if (bytesRead <= 0 || elapsed.isZero()) {
                return null;
            }
            double remaining = Math.max(0, totalBytes - bytesRead);
            return Duration.ofNanos((long) (elapsed.toNanos() * remaining / bytesRead));
        }
    }
}
