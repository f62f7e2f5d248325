package io.cxflow.collector.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SourcesTest {

    private static final Source WEB =
            new Source("web", "wk-web-123", "web", List.of("https://shop.example"), 0, 0, true);
    private static final Source POS = new Source("pos", "wk-pos-456", "pos", List.of(), 0, 0, true);
    private static final Source OLD = new Source("old", "wk-old-789", "web", List.of("*"), 0, 0, false);
    private final Sources sources = new Sources(List.of(WEB, POS, OLD));

    @Test
    void shouldFindTheSourceOwningAKey() {
        assertThat(sources.authenticate("wk-pos-456")).contains(POS);
        assertThat(sources.authenticate("wk-web-123")).contains(WEB);
    }

    @Test
    void shouldRefuseMissingUnknownPrefixAndRevokedKeys() {
        assertThat(sources.authenticate(null)).isEmpty();
        assertThat(sources.authenticate("")).isEmpty();
        assertThat(sources.authenticate("wk-pos-45")).isEmpty();
        assertThat(sources.authenticate("wk-pos-4567")).isEmpty();
        assertThat(sources.authenticate("WK-POS-456")).isEmpty();
        assertThat(sources.authenticate("wk-old-789")).isEmpty();
    }

    @Test
    void shouldNeverShowTheKeyInToString() {
        assertThat(WEB.toString()).doesNotContain("wk-web-123").contains("****");
    }

    @Test
    void shouldRefuseDuplicateIdsAndSharedKeys() {
        assertThatThrownBy(() -> new Sources(List.of(WEB, new Source("web", "other", "web", List.of(), 0, 0, true))))
                .hasMessageContaining("duplicate source id");
        assertThatThrownBy(
                        () -> new Sources(List.of(WEB, new Source("w2", "wk-web-123", "web", List.of(), 0, 0, true))))
                .hasMessageContaining("reuses the write key")
                .hasMessageNotContaining("wk-web-123");
    }

    @Test
    void shouldRefuseAnUnknownChannel() {
        assertThatThrownBy(() -> new Source("x", "k", "fax", List.of(), 0, 0, true))
                .hasMessageContaining("fax");
    }

    @Test
    void shouldCheckOriginsPerSourceAndForPreflight() {
        assertThat(WEB.allowsOrigin("https://shop.example")).isTrue();
        assertThat(WEB.allowsOrigin("https://evil.example")).isFalse();
        assertThat(POS.allowsOrigin("https://shop.example")).isFalse();
        assertThat(sources.anyAllowsOrigin("https://shop.example")).isTrue();
        assertThat(sources.anyAllowsOrigin("https://evil.example")).isFalse();
    }
}
