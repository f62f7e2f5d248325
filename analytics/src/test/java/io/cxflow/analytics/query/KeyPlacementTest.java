package io.cxflow.analytics.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

class KeyPlacementTest {

    private static final HostInfo SELF = new HostInfo("10.0.0.1", 8081);
    private static final HostInfo OTHER = new HostInfo("10.0.0.2", 8081);

    @Test
    void shouldReadLocallyWhenThisInstanceHostsTheActiveTask() {
        KeyPlacement placement = KeyPlacement.of("profiles", new KeyQueryMetadata(SELF, Set.of(OTHER), 4), SELF);

        assertThat(placement.kind()).isEqualTo(KeyPlacement.Kind.LOCAL);
        assertThat(placement.partition()).isEqualTo(4);
        assertThat(placement.host()).isEqualTo(SELF);
    }

    @Test
    void shouldForwardToTheActiveHostEvenWhenThisInstanceHasAStandby() {
        KeyPlacement placement = KeyPlacement.of("profiles", new KeyQueryMetadata(OTHER, Set.of(SELF), 2), SELF);

        assertThat(placement.kind()).isEqualTo(KeyPlacement.Kind.REMOTE);
        assertThat(placement.host()).isEqualTo(OTHER);
        assertThat(placement.partition()).isEqualTo(2);
    }

    @Test
    void shouldTellTheSameHostNameOnAnotherPortApart() {
        KeyPlacement placement =
                KeyPlacement.of("profiles", new KeyQueryMetadata(new HostInfo("10.0.0.1", 8082), Set.of(), 0), SELF);

        assertThat(placement.isRemote()).isTrue();
    }

    @Test
    void shouldBeUnavailableWhileStreamsIsInitializing() {
        KeyPlacement placement = KeyPlacement.of("profiles", KeyQueryMetadata.NOT_AVAILABLE, SELF);

        assertThat(placement.kind()).isEqualTo(KeyPlacement.Kind.UNAVAILABLE);
        assertThatThrownBy(placement::requireAvailable)
                .isInstanceOf(ProfileQueries.UnavailableException.class)
                .hasMessageContaining("rebalancing");
    }

    @Test
    void shouldBeUnavailableWhenNoInstanceHostsThePartitionYet() {
        KeyPlacement placement =
                KeyPlacement.of("identity-index", new KeyQueryMetadata(HostInfo.unavailable(), Set.of(), 0), SELF);

        assertThat(placement.kind()).isEqualTo(KeyPlacement.Kind.UNAVAILABLE);
        assertThat(placement.reason()).contains("identity-index");
    }

    @Test
    void shouldBeUnavailableNamingTheStoreWhenTheTopologyHasNoSuchStore() {
        KeyPlacement placement = KeyPlacement.of("identity-redirects", null, SELF);

        assertThatThrownBy(placement::requireAvailable)
                .isInstanceOf(ProfileQueries.UnavailableException.class)
                .hasMessage("store identity-redirects is not part of the running topology");
    }
}
