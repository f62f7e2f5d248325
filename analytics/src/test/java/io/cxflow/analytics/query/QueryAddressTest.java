package io.cxflow.analytics.query;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

class QueryAddressTest {

    @Test
    void shouldAdvertiseHostNamesAndAddressesButNotWildcards() {
        assertThat(QueryAddress.isAdvertisable("127.0.0.1")).isTrue();
        assertThat(QueryAddress.isAdvertisable("analytics-0.analytics.cx.svc")).isTrue();
        assertThat(QueryAddress.isAdvertisable("::1")).isTrue();
        assertThat(QueryAddress.isAdvertisable("[fd00::1]")).isTrue();

        assertThat(QueryAddress.isAdvertisable("0.0.0.0")).isFalse();
        assertThat(QueryAddress.isAdvertisable("::")).isFalse();
        assertThat(QueryAddress.isAdvertisable("")).isFalse();
        assertThat(QueryAddress.isAdvertisable("http://host")).isFalse();
        assertThat(QueryAddress.isAdvertisable("host:8081")).isFalse();
        assertThat(QueryAddress.isAdvertisable("two words")).isFalse();
    }

    @Test
    void shouldWriteApplicationServerWithIpv6InBrackets() {
        assertThat(QueryAddress.of(new HostInfo("10.1.2.3", 8081))).isEqualTo("10.1.2.3:8081");
        assertThat(QueryAddress.of(QueryAddress.hostInfo("[fd00::1]", 8081))).isEqualTo("[fd00::1]:8081");
        assertThat(QueryAddress.hostInfo("[fd00::1]", 8081)).isEqualTo(HostInfo.buildFromEndpoint("[fd00::1]:8081"));
        assertThat(QueryAddress.hostInfo("host-a", 1)).isEqualTo(HostInfo.buildFromEndpoint("host-a:1"));
    }
}
