package io.cxflow.bench.analytics;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Where the stream threads' wall-clock time went during a run: Kafka Streams' own thread metrics
 * ({@code stream-thread-metrics}: {@code process-ratio}, {@code commit-ratio}, {@code poll-ratio},
 * {@code punctuate-ratio}, each the share of the thread's last loop iterations), read from JMX every 500
 * ms and averaged over the samples of every thread of the application. A thread that is mostly
 * committing or polling waits on the broker; one that is mostly processing is bound by its own CPU.
 */
public final class StreamThreadTime implements AutoCloseable {

    private static final String[] RATIOS = {"process-ratio", "commit-ratio", "poll-ratio", "punctuate-ratio"};

    private final String clientPrefix;
    private final ScheduledExecutorService sampler;
    private final double[] sums = new double[RATIOS.length];
    private long samples;
    private String problem = "no stream-thread-metrics in JMX";

    private StreamThreadTime(String clientPrefix) {
        this.clientPrefix = clientPrefix;
        this.sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "bench-thread-time");
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleAtFixedRate(this::sample, 500, 500, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts sampling the threads whose {@code thread-id} starts with {@code clientPrefix} (the client
     * id Kafka Streams derives from the application, e.g. {@code cx-bench-analytics}).
     */
    public static StreamThreadTime start(String clientPrefix) {
        return new StreamThreadTime(clientPrefix);
    }

    private synchronized void sample() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            Set<ObjectName> names =
                    server.queryNames(new ObjectName("kafka.streams:type=stream-thread-metrics,*"), null);
            for (ObjectName name : names) {
                String thread = name.getKeyProperty("thread-id");
                if (name.getKeyProperty("process-id") != null) {
                    continue; // the thread-state gauge, registered under its own name
                }
                if (thread == null || !thread.startsWith(clientPrefix)) {
                    problem = "no thread-id starting with " + clientPrefix + " (saw " + thread + ")";
                    continue;
                }
                double[] values = new double[RATIOS.length];
                for (int i = 0; i < RATIOS.length; i++) {
                    Object value = server.getAttribute(name, RATIOS[i]);
                    if (!(value instanceof Number number) || Double.isNaN(number.doubleValue())) {
                        problem = RATIOS[i] + " of " + thread + " is " + value;
                        return;
                    }
                    values[i] = number.doubleValue();
                }
                for (int i = 0; i < RATIOS.length; i++) {
                    sums[i] += values[i];
                }
                samples++;
            }
        } catch (Exception e) {
            problem = e.toString(); // a thread that went away between the query and the read: skip the sample
        }
    }

    /** e.g. {@code process 61 %, commit 22 %, poll 14 %, punctuate 3 % (118 samples)}; "n/a" without samples. */
    public synchronized String summary() {
        if (samples == 0) {
            return "n/a (" + problem + ")";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < RATIOS.length; i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append(RATIOS[i].replace("-ratio", ""))
                    .append(' ')
                    .append(String.format(Locale.ROOT, "%.0f %%", 100 * sums[i] / samples));
        }
        return out.append(" (").append(samples).append(" samples)").toString();
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
