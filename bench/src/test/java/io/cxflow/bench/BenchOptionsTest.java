package io.cxflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void shouldUseTheDefaultsWhenNoFlagIsGiven() {
        BenchOptions o = BenchOptions.parse(new String[0]);

        assertThat(o.warmup()).isEqualTo(Duration.ofSeconds(8));
        assertThat(o.batchSize()).isEqualTo(100);
        assertThat(o.trackConnections()).containsExactly(16, 64, 256);
        assertThat(o.clients()).containsExactly("raw");
        assertThat(o.scenarios()).containsExactlyInAnyOrder("raw", "batch", "track");
        assertThat(o.dataDir()).isNull();
    }

    @Test
    void shouldReadBothFlagFormsAndDurationUnits() {
        BenchOptions o = BenchOptions.parse(new String[] {
            "--warmup=500ms", "--batch-duration", "1.5s", "--open-duration=1m", "--clients=raw,jdk", "--scenarios=batch"
        });

        assertThat(o.warmup()).isEqualTo(Duration.ofMillis(500));
        assertThat(o.batchDuration()).isEqualTo(Duration.ofMillis(1500));
        assertThat(o.openDuration()).isEqualTo(Duration.ofMinutes(1));
        assertThat(o.clients()).containsExactly("raw", "jdk");
        assertThat(o.runs("batch")).isTrue();
        assertThat(o.runs("raw")).isFalse();
    }

    @Test
    void shouldNameTheFlagAtFault() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--conections=4"}))
                .hasMessageContaining("--conections");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--batch-duration=10"}))
                .hasMessageContaining("--batch-duration");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--clients=curl"}))
                .hasMessageContaining("--clients");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--connections=0"}))
                .hasMessageContaining("--connections");
    }
}
