package io.cxflow.bench.analytics;

import io.cxflow.analytics.AnalyticsMetrics;
import java.lang.management.ManagementFactory;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * How many segment conditions an analytics instance in this process evaluated and how many it answered
 * unchanged without evaluating them (incremental evaluation), read from its sensors over JMX.
 *
 * @param evaluated conditions evaluated for profile changes
 * @param unchanged conditions answered unchanged
 */
public record SegmentSensors(double evaluated, double unchanged) {

    /** The totals of the stream threads whose {@code thread-id} starts with {@code clientPrefix}. */
    public static SegmentSensors read(String clientPrefix) {
        double evaluated = 0;
        double unchanged = 0;
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            Set<ObjectName> names = server.queryNames(
                    new ObjectName("kafka.streams:type=stream-" + AnalyticsMetrics.STREAMS_SCOPE + "-metrics,*"), null);
            for (ObjectName name : names) {
                String thread = name.getKeyProperty("thread-id");
                if (thread == null || !thread.startsWith(clientPrefix)) {
                    continue;
                }
                evaluated += total(server, name, AnalyticsMetrics.CONDITION_EVALUATED_OPERATION);
                unchanged += total(server, name, AnalyticsMetrics.CONDITION_UNCHANGED_OPERATION);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the segment sensors over JMX: " + e.getMessage(), e);
        }
        return new SegmentSensors(evaluated, unchanged);
    }

    private static double total(MBeanServer server, ObjectName name, String operation) throws Exception {
        try {
            Object value = server.getAttribute(name, operation + "-total");
            return value instanceof Number number && !Double.isNaN(number.doubleValue()) ? number.doubleValue() : 0;
        } catch (javax.management.AttributeNotFoundException e) {
            return 0;
        }
    }

    /** The change since {@code earlier}. */
    public SegmentSensors minus(SegmentSensors earlier) {
        return new SegmentSensors(evaluated - earlier.evaluated, unchanged - earlier.unchanged);
    }

    /** E.g. {@code 1,234,000 conditions, 81.2 % answered unchanged without evaluation}. */
    public String summary() {
        double all = evaluated + unchanged;
        return all == 0
                ? "no segment condition answered"
                : String.format(
                        "%,.0f condition answers, %.1f %% kept unchanged without evaluation",
                        all, 100 * unchanged / all);
    }
}
