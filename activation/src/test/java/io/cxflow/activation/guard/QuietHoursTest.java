package io.cxflow.activation.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class QuietHoursTest {

    private static final ZoneId ROME = ZoneId.of("Europe/Rome");
    private final QuietHours night = QuietHours.parse("21:00-08:00");

    @Test
    void shouldEndNextMorningWhenItIsLateEvening() {
        assertThat(night.end(Instant.parse("2026-11-22T21:30:00Z"), ROME)) // 22:30 Rome
                .contains(Instant.parse("2026-11-23T07:00:00Z"));
    }

    @Test
    void shouldEndThisMorningWhenItIsEarlyMorning() {
        assertThat(night.end(Instant.parse("2026-11-23T05:00:00Z"), ROME)) // 06:00 Rome
                .contains(Instant.parse("2026-11-23T07:00:00Z"));
    }

    @Test
    void shouldBeOpenDuringTheDayAndAtTheEndInstant() {
        assertThat(night.end(Instant.parse("2026-11-23T12:00:00Z"), ROME)).isEmpty();
        assertThat(night.end(Instant.parse("2026-11-23T07:00:00Z"), ROME)).isEmpty();
    }

    @Test
    void shouldUseTheCustomersZone() {
        Instant noonUtc = Instant.parse("2026-11-23T12:00:00Z"); // 21:00 in Tokyo
        assertThat(night.end(noonUtc, ZoneId.of("Asia/Tokyo"))).contains(noonUtc.plus(Duration.ofHours(11)));
    }

    @Test
    void shouldHandleAWindowThatDoesNotWrapMidnight() {
        QuietHours lunch = QuietHours.parse("12:00-14:00");
        assertThat(lunch.end(Instant.parse("2026-11-23T12:30:00Z"), ZoneId.of("UTC")))
                .contains(Instant.parse("2026-11-23T14:00:00Z"));
        assertThat(lunch.end(Instant.parse("2026-11-23T14:30:00Z"), ZoneId.of("UTC")))
                .isEmpty();
    }

    @Test
    void shouldRefuseOtherShapes() {
        assertThatThrownBy(() -> QuietHours.parse("9pm-8am")).hasMessageContaining("21:00-08:00");
        assertThatThrownBy(() -> QuietHours.parse("08:00-08:00")).hasMessageContaining("same time");
    }

    @Test
    void shouldParseCapsAndRefuseBadOnes() {
        assertThat(FrequencyCap.parse("email:1/24h")).isEqualTo(new FrequencyCap("email", 1, Duration.ofHours(24)));
        assertThat(FrequencyCap.parse("*:3/7d")).isEqualTo(new FrequencyCap("*", 3, Duration.ofDays(7)));
        assertThatThrownBy(() -> FrequencyCap.parse("email:0/1d")).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> FrequencyCap.parse("email=1 per day")).hasMessageContaining("email:1/24h");
    }
}
