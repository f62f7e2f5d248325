package io.cxflow.activation.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.activation.decision.Decision;
import io.cxflow.activation.decision.IdempotencyKey;
import io.cxflow.avro.SegmentMembershipChanged;
import io.cxflow.schemas.ReleasedSchemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.message.BinaryMessageDecoder;

/**
 * The JSON forms of the ledger: a customer's history as stored on the ledger topic, and a deferred
 * decision inside it (its membership change in Avro single-object encoding, base64).
 *
 * <pre>{@code
 * {"seq": 7, "entries": [{"k": "welcome:mail:c-1:3", "c": "email", "s": "DONE", "at": 1763834591000},
 *                        {"k": "welcome:sms:c-1:3", "c": "sms", "s": "DEFERRED", "at": …, "due": …, "d": "{…}"},
 *                        {"k": "welcome:hook:c-1:3", "c": "webhook", "s": "DONE", "at": …, "r": "r-6f1c…"}]}
 * }</pre>
 */
public final class LedgerCodec {

    /**
     * Reads a deferred decision's trigger in whichever released version of {@link SegmentMembershipChanged}
     * wrote it (single-object encoding names the writer's schema fingerprint).
     */
    private static final BinaryMessageDecoder<SegmentMembershipChanged> CHANGES =
            SegmentMembershipChanged.createDecoder(ReleasedSchemas.store("SegmentMembershipChanged"));

    private final ObjectMapper mapper;

    public LedgerCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public String write(CustomerHistory history) {
        ObjectNode root = mapper.createObjectNode();
        root.put("seq", history.seq());
        ArrayNode entries = root.putArray("entries");
        for (LedgerEntry e : history.entries()) {
            ObjectNode n = entries.addObject();
            n.put("k", e.key());
            n.put("c", e.channel());
            n.put("s", e.state().name());
            n.put("at", e.at().toEpochMilli());
            if (e.dueAt() != null) {
                n.put("due", e.dueAt().toEpochMilli());
            }
            if (e.decision() != null) {
                n.put("d", e.decision());
            }
            if (e.retry() != null) {
                n.put("r", e.retry());
            }
        }
        return root.toString();
    }

    /**
     * @throws IllegalArgumentException when {@code json} is not a ledger history
     */
    public CustomerHistory read(String json) {
        try {
            JsonNode root = mapper.readTree(json);
            List<LedgerEntry> entries = new ArrayList<>();
            for (JsonNode n : root.path("entries")) {
                entries.add(new LedgerEntry(
                        n.path("k").asText(),
                        n.path("c").asText(),
                        LedgerEntry.State.valueOf(n.path("s").asText()),
                        Instant.ofEpochMilli(n.path("at").asLong()),
                        n.has("due") ? Instant.ofEpochMilli(n.path("due").asLong()) : null,
                        n.has("d") ? n.path("d").asText() : null,
                        n.has("r") ? n.path("r").asText() : null));
            }
            return new CustomerHistory(root.path("seq").asLong(), entries);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a ledger history: " + e.getMessage(), e);
        }
    }

    /** A decision as text, to be run later. */
    public String writeDecision(Decision decision) {
        ObjectNode n = mapper.createObjectNode();
        n.put("key", decision.key().value());
        n.put("workflowVersion", decision.workflowVersion());
        n.put("channel", decision.channel());
        if (decision.notBefore() != null) {
            n.put("notBefore", decision.notBefore().toEpochMilli());
        }
        if (!decision.conditions().isEmpty()) {
            ArrayNode conditions = n.putArray("conditions");
            for (Decision.Condition c : decision.conditions()) {
                conditions.addObject().put("expression", c.expression()).put("expected", c.expected());
            }
        }
        ObjectNode settings = n.putObject("settings");
        new TreeMap<>(decision.settings()).forEach(settings::put);
        try {
            ByteBuffer bytes = SegmentMembershipChanged.getEncoder().encode(decision.change());
            byte[] array = new byte[bytes.remaining()];
            bytes.get(array);
            n.put("change", Base64.getEncoder().encodeToString(array));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n.toString();
    }

    /**
     * @throws IllegalArgumentException when {@code text} is not a decision written by {@link #writeDecision}
     */
    public Decision readDecision(String text) {
        try {
            JsonNode n = mapper.readTree(text);
            Map<String, String> settings = new TreeMap<>();
            n.path("settings")
                    .properties()
                    .forEach(e -> settings.put(e.getKey(), e.getValue().asText()));
            List<Decision.Condition> conditions = new ArrayList<>();
            for (JsonNode c : n.path("conditions")) {
                conditions.add(new Decision.Condition(
                        c.path("expression").asText(), c.path("expected").asBoolean()));
            }
            SegmentMembershipChanged change =
                    CHANGES.decode(Base64.getDecoder().decode(n.path("change").asText()));
            return new Decision(
                    IdempotencyKey.parse(n.path("key").asText()),
                    n.path("workflowVersion").asLong(),
                    n.path("channel").asText(),
                    settings,
                    change,
                    n.has("notBefore")
                            ? Instant.ofEpochMilli(n.path("notBefore").asLong())
                            : null,
                    conditions);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a deferred decision: " + e.getMessage(), e);
        }
    }
}
