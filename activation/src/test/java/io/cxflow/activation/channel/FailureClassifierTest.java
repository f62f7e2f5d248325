package io.cxflow.activation.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FailureClassifierTest {

    @ParameterizedTest
    @ValueSource(ints = {200, 201, 202, 204, 299})
    void shouldCountTwoHundredsAsSent(int status) {
        assertThat(FailureClassifier.ofStatus(status)).isEqualTo(Delivery.Outcome.SENT);
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 425, 429, 500, 502, 503, 504, 599})
    void shouldRetryThrottlingTimeoutsAndServerErrors(int status) {
        assertThat(FailureClassifier.ofStatus(status)).isEqualTo(Delivery.Outcome.RETRIABLE);
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 400, 401, 403, 404, 409, 410, 413, 422})
    void shouldGiveUpOnRedirectsAndClientErrors(int status) {
        assertThat(FailureClassifier.ofStatus(status)).isEqualTo(Delivery.Outcome.PERMANENT);
    }

    @Test
    void shouldRetryNetworkErrorsAndTimeouts() {
        assertThat(FailureClassifier.ofError(new ConnectException("refused"))).isEqualTo(Delivery.Outcome.RETRIABLE);
        assertThat(FailureClassifier.ofError(new HttpConnectTimeoutException("connect")))
                .isEqualTo(Delivery.Outcome.RETRIABLE);
        assertThat(FailureClassifier.ofError(new HttpTimeoutException("request")))
                .isEqualTo(Delivery.Outcome.RETRIABLE);
    }

    @Test
    void shouldGiveUpOnProgrammingErrors() {
        assertThat(FailureClassifier.ofError(new IllegalArgumentException("bad uri")))
                .isEqualTo(Delivery.Outcome.PERMANENT);
    }
}
