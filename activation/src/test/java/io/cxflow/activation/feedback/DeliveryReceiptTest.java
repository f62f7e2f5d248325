package io.cxflow.activation.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeliveryReceiptTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }

    @Test
    void shouldReadOneReceiptWithEveryField() throws Exception {
        DeliveryReceipt.Batch batch = DeliveryReceipt.parse(json("""
                {"idempotencyKey": "welcome:sms:cus_42:3", "status": "Clicked", "at": "2026-11-22T19:03:15+01:00",
                 "providerMessageId": "SM1", "reason": "ok", "url": "https://shop.example/x", "extra": 1}"""));

        assertThat(batch.problems()).isEmpty();
        DeliveryReceipt receipt = batch.receipts().getFirst().receipt();
        assertThat(receipt.key().value()).isEqualTo("welcome:sms:cus_42:3");
        assertThat(receipt.key().customerId()).isEqualTo("cus_42");
        assertThat(receipt.status()).isEqualTo(ReceiptStatus.CLICKED);
        assertThat(receipt.at()).contains(Instant.parse("2026-11-22T18:03:15Z"));
        assertThat(receipt.providerMessageId()).contains("SM1");
        assertThat(receipt.reason()).contains("ok");
        assertThat(receipt.url()).contains("https://shop.example/x");
    }

    @Test
    void shouldKeepTheReadableReceiptsOfABatchAndNameTheFieldOfEveryOther() throws Exception {
        DeliveryReceipt.Batch batch = DeliveryReceipt.parse(json("""
                {"receipts": [
                  {"idempotencyKey": "welcome:sms:cus_42:3", "status": "delivered"},
                  {"idempotencyKey": "not-a-key", "status": "delivered"},
                  {"idempotencyKey": "welcome:sms:cus_42:3", "status": "exploded"},
                  {"idempotencyKey": "welcome:sms:cus_42:3", "status": "delivered", "at": "yesterday"},
                  {"idempotencyKey": "welcome:sms:cus_42:3", "status": "clicked", "url": "javascript:alert(1)"},
                  {"status": "delivered"},
                  "text"]}"""));

        assertThat(batch.receipts()).extracting(DeliveryReceipt.Indexed::index).containsExactly(0);
        assertThat(batch.problems())
                .extracting(DeliveryReceipt.Problem::index, DeliveryReceipt.Problem::field)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, "receipts[1].idempotencyKey"),
                        org.assertj.core.groups.Tuple.tuple(2, "receipts[2].status"),
                        org.assertj.core.groups.Tuple.tuple(3, "receipts[3].at"),
                        org.assertj.core.groups.Tuple.tuple(4, "receipts[4].url"),
                        org.assertj.core.groups.Tuple.tuple(5, "receipts[5].idempotencyKey"),
                        org.assertj.core.groups.Tuple.tuple(6, "receipts[6]"));
    }

    @Test
    void shouldRefuseABodyOfAnotherShape() {
        assertThatThrownBy(() -> DeliveryReceipt.parse(json("[1]"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeliveryReceipt.parse(json("{\"receipts\": {}}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("array");
    }

    @Test
    void shouldCutLongReasons() throws Exception {
        String reason = "x".repeat(DeliveryReceipt.MAX_TEXT + 10);
        DeliveryReceipt.Batch batch = DeliveryReceipt.parse(json(
                "{\"idempotencyKey\": \"w:s:c:1\", \"status\": " + "\"bounced\", \"reason\": \"" + reason + "\"}"));

        assertThat(batch.receipts().getFirst().receipt().reason().orElseThrow()).hasSize(DeliveryReceipt.MAX_TEXT);
    }
}
