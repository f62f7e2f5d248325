package io.cxflow.platform.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class HealthTest {

    @Test
    void shouldBeReadyOnlyWhenEveryCheckIsUp() {
        Health health = new Health();
        Health.Flag topics = health.flag("topics", "not created yet");
        health.readiness("streams", () -> Health.Status.up("RUNNING"));

        Health.Report before = health.ready();
        topics.up();
        Health.Report after = health.ready();

        assertThat(before.up()).isFalse();
        assertThat(before.checks().get("topics")).isEqualTo(Health.Status.down("not created yet"));
        assertThat(before.checks()).containsKeys("topics", "streams");
        assertThat(after.up()).isTrue();
        assertThat(after.checks().get("streams").detail()).isEqualTo("RUNNING");
    }

    @Test
    void shouldCountAThrowingCheckAsDownWithTheReason() {
        Health health = new Health().readiness("kafka", () -> {
            throw new IllegalStateException("no brokers");
        });

        Health.Report report = health.ready();

        assertThat(report.up()).isFalse();
        assertThat(report.checks().get("kafka").detail()).isEqualTo("IllegalStateException: no brokers");
    }

    @Test
    void shouldCountACheckThatDoesNotAnswerInTimeAsDown() {
        CountDownLatch never = new CountDownLatch(1);
        Health health = new Health(Duration.ofMillis(200)).readiness("slow", () -> {
            never.await();
            return Health.Status.UP;
        });

        Health.Report report = health.ready();

        assertThat(report.up()).isFalse();
        assertThat(report.checks().get("slow").detail()).contains("did not answer within 200 ms");
    }

    @Test
    void shouldBeLiveWithoutLivenessChecksAndKeepKindsApart() {
        Health health = new Health();
        health.flag("topics", "not yet");

        assertThat(health.live().up()).isTrue();
        assertThat(health.live().checks()).isEmpty();
        assertThat(health.ready().up()).isFalse();
    }

    @Test
    void shouldRefuseADuplicateName() {
        Health health = new Health().readiness("kafka", () -> Health.Status.UP);

        assertThatThrownBy(() -> health.readiness("kafka", () -> Health.Status.UP))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kafka");
    }
}
