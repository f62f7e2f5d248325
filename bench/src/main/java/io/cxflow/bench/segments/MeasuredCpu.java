package io.cxflow.bench.segments;

import io.cxflow.bench.analytics.StreamThreadCpu;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The CPU of the Streams threads ({@link StreamThreadCpu}) during a load's measured window: counting starts
 * once the warm-up has passed (on a daemon thread) and stops when asked.
 */
final class MeasuredCpu {

    private final AtomicReference<StreamThreadCpu> counting = new AtomicReference<>();
    private final Thread starter;

    private MeasuredCpu(Duration warmup) {
        this.starter = Thread.ofPlatform().daemon().name("bench-cpu-window").start(() -> {
            try {
                Thread.sleep(warmup);
                counting.set(StreamThreadCpu.start());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Starts counting {@code warmup} from now. */
    static MeasuredCpu after(Duration warmup) {
        return new MeasuredCpu(warmup);
    }

    /** Nanoseconds of CPU since the warm-up ended; -1 when the window never started or CPU time is not measured. */
    long stop() {
        starter.interrupt();
        StreamThreadCpu cpu = counting.get();
        return cpu == null ? -1 : cpu.elapsedNanos();
    }
}
