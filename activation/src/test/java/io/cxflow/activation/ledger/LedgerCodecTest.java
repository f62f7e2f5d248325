package io.cxflow.activation.ledger;

import static io.cxflow.activation.testing.Fixtures.change;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxflow.activation.decision.Decision;
import io.cxflow.activation.decision.IdempotencyKey;
import io.cxflow.avro.MembershipChange;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LedgerCodecTest {

    private final LedgerCodec codec = new LedgerCodec(new ObjectMapper());
    private final Instant now = Instant.parse("2026-11-22T12:00:00Z");

    @Test
    void shouldReadBackWhatItWrote() {
        Decision decision = new Decision(
                new IdempotencyKey("w", "s", "c:1", 3),
                2,
                "sms",
                Map.of("text", "Hi {{customer.id}}"),
                change("c:1", "seg", MembershipChange.ENTERED, 3));
        CustomerHistory history = CustomerHistory.empty()
                .with(
                        new LedgerEntry("w:a:c:1:3", "email", LedgerEntry.State.DONE, now, null, null),
                        now,
                        Duration.ofDays(1))
                .with(
                        new LedgerEntry(
                                "w:s:c:1:3",
                                "sms",
                                LedgerEntry.State.DEFERRED,
                                now,
                                now.plusSeconds(60),
                                codec.writeDecision(decision)),
                        now,
                        Duration.ofDays(1));

        CustomerHistory read = codec.read(codec.write(history));

        assertThat(read).isEqualTo(history);
        assertThat(read.seq()).isEqualTo(2);
        assertThat(read.pending()).singleElement().satisfies(e -> assertThat(codec.readDecision(e.decision()))
                .isEqualTo(decision));
    }

    @Test
    void shouldKeepTheConditionsAndTheWaitOfADeferredDecision() {
        Decision decision = new Decision(
                new IdempotencyKey("w", "after-wait", "c-1", 1),
                4,
                "webhook",
                Map.of("url", "http://127.0.0.1:9/hook"),
                change("c-1", "seg", MembershipChange.ENTERED, 1),
                now.plusSeconds(7200),
                List.of(
                        new Decision.Condition("has(profile.consent.sms)", true),
                        new Decision.Condition("profile.timezone == \"\"", false)));

        Decision read = codec.readDecision(codec.writeDecision(decision));

        assertThat(read).isEqualTo(decision);
        assertThat(read.conditions()).hasSize(2);
    }

    @Test
    void shouldReplaceAKeysEntryAndForgetEntriesOlderThanTheRetention() {
        CustomerHistory h = CustomerHistory.empty()
                .with(new LedgerEntry("old", "email", LedgerEntry.State.DONE, now, null, null), now, Duration.ofDays(1))
                .with(new LedgerEntry("k", "sms", LedgerEntry.State.INTENT, now, null, null), now, Duration.ofDays(1));
        Instant later = now.plus(Duration.ofHours(30));

        CustomerHistory next = h.with(
                new LedgerEntry("k", "sms", LedgerEntry.State.DONE, later, null, null), later, Duration.ofDays(1));

        assertThat(next.entries())
                .extracting(LedgerEntry::key, LedgerEntry::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("k", LedgerEntry.State.DONE));
        assertThat(next.messagesSince(later.minusSeconds(1), c -> true)).isEqualTo(1);
        assertThat(List.of(next.seq())).containsExactly(3L);
    }

    @Test
    void shouldRefuseTextThatIsNotAHistory() {
        assertThatThrownBy(() -> codec.read("{\"entries\": [{\"s\": \"MAYBE\"}]}"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldReadADeferredDecisionWrittenBeforeTriggersCarriedEventProperties() throws Exception {
        Decision decision = new Decision(
                new IdempotencyKey("w", "s", "c-1", 3),
                2,
                "sms",
                Map.of("text", "Hi {{customer.id}}"),
                change("c-1", "seg", MembershipChange.ENTERED, 3));
        // the same trigger as the first released SegmentMembershipChanged (no properties field) wrote it
        org.apache.avro.Schema v1 =
                io.cxflow.schemas.ReleasedSchemas.of("SegmentMembershipChanged").getFirst();
        org.apache.avro.generic.GenericRecord old = new org.apache.avro.generic.GenericData.Record(v1);
        var now = decision.change();
        old.put("customerId", now.getCustomerId());
        old.put("segmentId", now.getSegmentId());
        old.put("segmentVersion", now.getSegmentVersion());
        old.put(
                "change",
                new org.apache.avro.generic.GenericData.EnumSymbol(
                        v1.getField("change").schema(), now.getChange().name()));
        old.put("membershipVersion", now.getMembershipVersion());
        old.put("reason", now.getReason());
        old.put("at", now.getAt().toEpochMilli());
        old.put("identities", now.getIdentities());
        old.put("email", now.getEmail());
        old.put("phone", now.getPhone());
        old.put("consent", now.getConsent());
        old.put("timezone", now.getTimezone());
        java.nio.ByteBuffer bytes = new org.apache.avro.message.BinaryMessageEncoder<
                        org.apache.avro.generic.GenericRecord>(org.apache.avro.generic.GenericData.get(), v1)
                .encode(old);
        byte[] array = new byte[bytes.remaining()];
        bytes.get(array);
        com.fasterxml.jackson.databind.node.ObjectNode text = (com.fasterxml.jackson.databind.node.ObjectNode)
                new ObjectMapper().readTree(codec.writeDecision(decision));
        text.put("change", java.util.Base64.getEncoder().encodeToString(array));

        Decision read = codec.readDecision(text.toString());

        assertThat(read).isEqualTo(decision);
        assertThat(read.change().getProperties()).isNull();
    }
}
