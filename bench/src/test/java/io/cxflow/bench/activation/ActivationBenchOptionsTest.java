package io.cxflow.bench.activation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ActivationBenchOptionsTest {

    @Test
    void shouldUseTheDefaultsWithoutFlags() {
        ActivationBenchOptions options = ActivationBenchOptions.parse(new String[0]);

        assertThat(options.rate()).isEqualTo(200);
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(20));
        assertThat(options.backlog()).isEqualTo(10_000);
        assertThat(options.runs(ActivationBenchOptions.LATENCY)).isTrue();
        assertThat(options.runs(ActivationBenchOptions.THROUGHPUT)).isTrue();
        assertThat(options.dataDir()).isNull();
    }

    @Test
    void shouldReadFlagsInBothForms() {
        ActivationBenchOptions options = ActivationBenchOptions.parse(
                new String[] {"--rate=500", "--duration", "5s", "--backlog=2_000", "--scenarios=throughput"});

        assertThat(options.rate()).isEqualTo(500);
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.backlog()).isEqualTo(2000);
        assertThat(options.runs(ActivationBenchOptions.LATENCY)).isFalse();
    }

    @Test
    void shouldNameTheFlagOfABadValue() {
        assertThatThrownBy(() -> ActivationBenchOptions.parse(new String[] {"--rate=0"}))
                .hasMessageContaining("--rate must be at least 1");
        assertThatThrownBy(() -> ActivationBenchOptions.parse(new String[] {"--warmup=5"}))
                .hasMessageContaining("--warmup");
        assertThatThrownBy(() -> ActivationBenchOptions.parse(new String[] {"--scenarios=speed"}))
                .hasMessageContaining("--scenarios");
        assertThatThrownBy(() -> ActivationBenchOptions.parse(new String[] {"--rates=5"}))
                .hasMessageContaining("unknown flag --rates");
    }
}
