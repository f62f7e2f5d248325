package io.cxflow.platform.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Objects;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The metrics registry of a service and the binders of its Kafka clients.
 *
 * <p>Every service has one {@link PrometheusMeterRegistry}, made by {@link #create(String)} and scraped
 * at {@code GET /metrics}. Every meter carries the tag {@code service=<name>}. Metric names shared by the
 * platform are the constants below; each module keeps its own names in its own {@code *Metrics} class.
 *
 * <p>The {@code bind} methods return the binder: close it when the client closes, so its meters are
 * removed and its refresh task stops.
 */
public final class Metrics {

    /** Common tag on every meter. */
    public static final String TAG_SERVICE = "service";

    /** Timer of HTTP requests served, tagged {@code method}, {@code route}, {@code status}, {@code outcome}. */
    public static final String HTTP_SERVER_REQUESTS = "http.server.requests";

    /** Route tag value of a request that matched no route and answered 404. */
    public static final String ROUTE_NOT_FOUND = "NOT_FOUND";

    /** Route tag value of any other request that matched no route (405, HEAD/OPTIONS handled by the server). */
    public static final String ROUTE_UNMATCHED = "UNMATCHED";

    private Metrics() {}

    /**
     * A Prometheus registry with JVM memory, GC, thread, class loader, processor and uptime meters, and
     * the common tag {@code service=<service>}.
     */
    public static PrometheusMeterRegistry create(String service) {
        Objects.requireNonNull(service, "service");
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags(TAG_SERVICE, service);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return registry;
    }

    /** Binds a producer's client metrics ({@code kafka.producer.*}). */
    public static KafkaClientMetrics bind(MeterRegistry registry, Producer<?, ?> producer) {
        KafkaClientMetrics binder = new KafkaClientMetrics(Objects.requireNonNull(producer, "producer"));
        binder.bindTo(registry);
        return binder;
    }

    /** Binds a consumer's client metrics ({@code kafka.consumer.*}). */
    public static KafkaClientMetrics bind(MeterRegistry registry, Consumer<?, ?> consumer) {
        KafkaClientMetrics binder = new KafkaClientMetrics(Objects.requireNonNull(consumer, "consumer"));
        binder.bindTo(registry);
        return binder;
    }

    /**
     * Binds an admin client's metrics ({@code kafka.admin.client.*}).
     *
     * @throws IllegalArgumentException for an {@link Admin} that is not an {@link AdminClient} (clients
     *     from {@code Admin.create} are)
     */
    public static KafkaClientMetrics bind(MeterRegistry registry, Admin admin) {
        Objects.requireNonNull(admin, "admin");
        if (!(admin instanceof AdminClient client)) {
            throw new IllegalArgumentException(
                    "cannot bind metrics of " + admin.getClass().getName()
                            + ": only AdminClient instances (from Admin.create) expose them to Micrometer");
        }
        KafkaClientMetrics binder = new KafkaClientMetrics(client);
        binder.bindTo(registry);
        return binder;
    }

    /** Binds a Kafka Streams application's metrics ({@code kafka.stream.*} and its clients'). */
    public static KafkaStreamsMetrics bind(MeterRegistry registry, KafkaStreams streams) {
        KafkaStreamsMetrics binder = new KafkaStreamsMetrics(Objects.requireNonNull(streams, "streams"));
        binder.bindTo(registry);
        return binder;
    }
}
