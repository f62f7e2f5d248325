package io.cxflow.activation.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.avro.ActivationResult;
import io.cxflow.avro.ActivationStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ActivationIndexTest {

    private static ActivationResult result(String customerId, int n) {
        return ActivationResult.newBuilder()
                .setIdempotencyKey("w:s:" + customerId + ":" + n)
                .setCustomerId(customerId)
                .setWorkflowId("w")
                .setStepId("s")
                .setChannel("webhook")
                .setStatus(ActivationStatus.SENT)
                .setMembershipVersion((long) n)
                .setAt(Instant.ofEpochMilli(n))
                .build();
    }

    @Test
    void shouldKeepOnlyTheLatestResultsPerCustomerOldestFirst() {
        ActivationIndex index = new ActivationIndex(3, 10);
        for (int n = 1; n <= 5; n++) {
            index.add(result("c-1", n));
        }

        assertThat(index.forCustomer("c-1"))
                .extracting(ActivationResult::getMembershipVersion)
                .containsExactly(3L, 4L, 5L);
    }

    @Test
    void shouldDropTheLeastRecentlyUsedCustomerWhenFull() {
        ActivationIndex index = new ActivationIndex(3, 2);
        index.add(result("c-1", 1));
        index.add(result("c-2", 1));
        index.forCustomer("c-1");
        index.add(result("c-3", 1));

        assertThat(index.customers()).isEqualTo(2);
        assertThat(index.forCustomer("c-2")).isEmpty();
        assertThat(index.forCustomer("c-1")).hasSize(1);
        assertThat(index.forCustomer("c-3")).hasSize(1);
    }

    @Test
    void shouldAnswerEmptyForUnknownCustomer() {
        assertThat(new ActivationIndex(3, 2).forCustomer("nobody")).isEmpty();
    }
}
