package io.cxflow.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ForwardingAdmin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void shouldTagEveryMeterWithTheServiceAndExposeJvmMeters() {
        PrometheusMeterRegistry registry = Metrics.create("collector");

        String scrape = registry.scrape();

        assertThat(scrape)
                .contains("jvm_memory_used_bytes{")
                .contains("jvm_threads_live_threads{")
                .contains("process_uptime_seconds{")
                .contains("system_cpu_count{")
                .contains("service=\"collector\"");
        assertThat(registry.getMeters())
                .allSatisfy(m -> assertThat(m.getId().getTag("service")).isEqualTo("collector"));
    }

    @Test
    void shouldBindProducerMetricsWithoutABroker() {
        PrometheusMeterRegistry registry = Metrics.create("collector");
        Map<String, Object> config = Map.of("bootstrap.servers", "127.0.0.1:1", "client.id", "metrics-test");
        try (KafkaProducer<String, String> producer =
                        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
                KafkaClientMetrics binder = Metrics.bind(registry, producer)) {

            assertThat(registry.find("kafka.producer.record.send.total").functionCounters())
                    .isNotEmpty();
        }
    }

    @Test
    void shouldRefuseAdminsThatAreNotAdminClients() {
        try (Admin forwarding = new ForwardingAdmin(Map.of("bootstrap.servers", "127.0.0.1:1"))) {
            assertThatThrownBy(() -> Metrics.bind(Metrics.create("x"), forwarding))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ForwardingAdmin");
        }
    }
}
