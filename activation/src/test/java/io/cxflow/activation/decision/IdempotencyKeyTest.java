package io.cxflow.activation.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IdempotencyKeyTest {

    @Test
    void shouldJoinWorkflowStepCustomerAndMembershipVersion() {
        IdempotencyKey key = new IdempotencyKey("welcome", "notify", "c-42", 3);

        assertThat(key.value()).isEqualTo("welcome:notify:c-42:3");
    }

    @Test
    void shouldParseBackEvenWhenCustomerIdHasColons() {
        IdempotencyKey key = new IdempotencyKey("welcome", "step-1", "urn:cx:42", 7);

        assertThat(IdempotencyKey.parse(key.value())).isEqualTo(key);
    }

    @Test
    void shouldDifferWhenMembershipVersionDiffers() {
        assertThat(new IdempotencyKey("w", "s", "c", 1).value())
                .isNotEqualTo(new IdempotencyKey("w", "s", "c", 2).value());
    }

    @Test
    void shouldRefuseColonsInWorkflowOrStepId() {
        assertThatThrownBy(() -> new IdempotencyKey("a:b", "s", "c", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IdempotencyKey("w", "s:t", "c", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRefuseTextThatIsNotAKey() {
        assertThatThrownBy(() -> IdempotencyKey.parse("w:s:c")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IdempotencyKey.parse("w:s:c:x")).isInstanceOf(IllegalArgumentException.class);
    }
}
