package io.cxflow.bench.segments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SegmentBenchOptionsTest {

    @Test
    void shouldUseTheDefaultsWhenNoFlagIsGiven() {
        SegmentBenchOptions o = SegmentBenchOptions.parse(new String[0]);

        assertThat(o.definitions()).isEqualTo(50);
        assertThat(o.rates()).containsExactly(1000, 5000);
        assertThat(o.warmup()).isEqualTo(Duration.ofSeconds(15));
        assertThat(o.duration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(o.lostAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.batchSize()).isEqualTo(10);
        assertThat(o.backlog()).isEqualTo(100_000);
        assertThat(o.scenarios()).containsExactlyInAnyOrder("latency", "throughput");
        assertThat(o.dataDir()).isNull();
    }

    @Test
    void shouldMakeAboutTheProbeShareOfTheEventsProbes() {
        // 1 % with batches of 10: one request in 11 is a probe, 1 event of 101
        assertThat(SegmentBenchOptions.parse(new String[0]).probeEvery()).isEqualTo(11);
        // single-event requests: one in 100
        assertThat(SegmentBenchOptions.parse(new String[] {"--batch=1"}).probeEvery())
                .isEqualTo(100);
        // a share too high for the batch size still leaves one background request between probes
        assertThat(SegmentBenchOptions.parse(new String[] {"--probe-share=0.5", "--batch=20"})
                        .probeEvery())
                .isEqualTo(2);
    }

    @Test
    void shouldReadRatesScenariosAndDurations() {
        SegmentBenchOptions o = SegmentBenchOptions.parse(new String[] {
            "--rates=1000, 2_500", "--scenarios", "latency", "--warmup=0s", "--duration=1.5s", "--backlog=50_000"
        });

        assertThat(o.rates()).containsExactly(1000, 2500);
        assertThat(o.runs("latency")).isTrue();
        assertThat(o.runs("throughput")).isFalse();
        assertThat(o.warmup()).isZero();
        assertThat(o.duration()).isEqualTo(Duration.ofMillis(1500));
        assertThat(o.backlog()).isEqualTo(50_000);
    }

    @Test
    void shouldNameTheFlagAtFault() {
        assertThatThrownBy(() -> SegmentBenchOptions.parse(new String[] {"--rate=5"}))
                .hasMessageContaining("--rate");
        assertThatThrownBy(() -> SegmentBenchOptions.parse(new String[] {"--rates=0"}))
                .hasMessageContaining("--rates");
        assertThatThrownBy(() -> SegmentBenchOptions.parse(new String[] {"--probe-share=0"}))
                .hasMessageContaining("--probe-share");
        assertThatThrownBy(() -> SegmentBenchOptions.parse(new String[] {"--duration=10"}))
                .hasMessageContaining("--duration");
        assertThatThrownBy(() -> SegmentBenchOptions.parse(new String[] {"--definitions=51"}))
                .hasMessageContaining("--definitions");
        assertThatThrownBy(() -> SegmentBenchOptions.parse(new String[] {"--scenarios=rebuild"}))
                .hasMessageContaining("--scenarios");
    }
}
