package io.cxflow.collector.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Iso8601Test {

    @ParameterizedTest
    @CsvSource({
        "2026-11-20T10:00:00Z, 2026-11-20T10:00:00Z",
        "2026-11-20T10:00:00.123Z, 2026-11-20T10:00:00.123Z",
        "2026-11-20T11:00:00.123+01:00, 2026-11-20T10:00:00.123Z",
        "2026-11-20T11:00:00.123+0100, 2026-11-20T10:00:00.123Z",
        "2026-11-20T05:00:00-05, 2026-11-20T10:00:00Z",
        "2026-11-20T10:00:00.123456789Z, 2026-11-20T10:00:00.123456789Z",
        "2026-11-20T10:00:00, 2026-11-20T10:00:00Z",
        "2026-11-20T10:00, 2026-11-20T10:00:00Z",
        "2026-11-20, 2026-11-20T00:00:00Z",
        "2026-11-20t10:00:00z, 2026-11-20T10:00:00Z"
    })
    void shouldParseTheFormsSdksSend(String text, String expected) {
        assertThat(Iso8601.parse(text)).contains(Instant.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "yesterday",
                "2026-13-01T00:00:00Z",
                "2026-02-30T00:00:00Z",
                "2026-11-20T25:00:00Z",
                "1700000000000",
                "2026-11-20T10:00:00Zjunk",
                "2026-11-20 10:00:00Z",
                "2026-11-20T23:59:60Z",
                "20261120T100000Z",
                "2026-11-20T10:00:00+01:00Z"
            })
    void shouldRefuseWhatIsNotAnIsoTimestamp(String text) {
        assertThat(Iso8601.parse(text)).isEmpty();
    }
}
