package io.cxflow.bench.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AnalyticsBenchOptionsTest {

    @Test
    void shouldUseTheDefaultsWhenNoFlagIsGiven() {
        AnalyticsBenchOptions o = AnalyticsBenchOptions.parse(new String[0]);

        assertThat(o.events()).isEqualTo(1_000_000);
        assertThat(o.customers()).isEqualTo(100_000);
        assertThat(o.identifiedShare()).isEqualTo(0.6);
        assertThat(o.threads()).isEqualTo(1);
        assertThat(o.scenarios()).containsExactlyInAnyOrder("baseline", "cxflow", "rebuild");
        assertThat(o.timeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(o.dataDir()).isNull();
    }

    @Test
    void shouldReadBothFlagFormsUnderscoresAndDurations() {
        AnalyticsBenchOptions o = AnalyticsBenchOptions.parse(
                new String[] {"--events=20_000", "--customers", "2000", "--scenarios=cxflow", "--timeout=90s"});

        assertThat(o.events()).isEqualTo(20_000);
        assertThat(o.customers()).isEqualTo(2_000);
        assertThat(o.runs("cxflow")).isTrue();
        assertThat(o.runs("baseline")).isFalse();
        assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void shouldNameTheFlagAtFault() {
        assertThatThrownBy(() -> AnalyticsBenchOptions.parse(new String[] {"--event=5"}))
                .hasMessageContaining("--event");
        assertThatThrownBy(() -> AnalyticsBenchOptions.parse(new String[] {"--events=0"}))
                .hasMessageContaining("--events");
        assertThatThrownBy(() -> AnalyticsBenchOptions.parse(new String[] {"--identified=1.2"}))
                .hasMessageContaining("--identified");
        assertThatThrownBy(() -> AnalyticsBenchOptions.parse(new String[] {"--scenarios=replay"}))
                .hasMessageContaining("--scenarios");
        assertThatThrownBy(() -> AnalyticsBenchOptions.parse(new String[] {"--timeout=10"}))
                .hasMessageContaining("--timeout");
    }
}
