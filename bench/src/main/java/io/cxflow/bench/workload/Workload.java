package io.cxflow.bench.workload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The prepared requests of a benchmark run: {@code /v1/batch} bodies (60 % web, 30 % mobile, 10 % POS, as a
 * retailer's touchpoints send them) and single {@code /v1/track} bodies from the web shop.
 */
public final class Workload {

    public static final String BATCH_PATH = "/v1/batch";
    public static final String TRACK_PATH = "/v1/track";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<RequestTemplate> batches;
    private final List<RequestTemplate> tracks;

    private Workload(List<RequestTemplate> batches, List<RequestTemplate> tracks) {
        this.batches = List.copyOf(batches);
        this.tracks = List.copyOf(tracks);
    }

    /**
     * @param seed makes the workload reproducible
     * @param batchCount how many different batch bodies
     * @param batchSize events per batch
     * @param trackCount how many different single-event bodies
     */
    public static Workload generate(long seed, int batchCount, int batchSize, int trackCount) {
        if (batchCount < 1 || batchSize < 1 || trackCount < 1) {
            throw new IllegalArgumentException("counts must be positive");
        }
        EventFactory events = new EventFactory(seed);
        List<RequestTemplate> batches = new ArrayList<>(batchCount);
        for (int b = 0; b < batchCount; b++) {
            int slot = b % 10;
            Touchpoint touchpoint = slot < 6 ? Touchpoint.WEB : slot < 9 ? Touchpoint.MOBILE : Touchpoint.POS;
            List<ObjectNode> messages = new ArrayList<>(batchSize);
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            ArrayNode batch = body.putArray("batch");
            for (int i = 0; i < batchSize; i++) {
                ObjectNode m = events.next(touchpoint);
                messages.add(m);
                batch.add(m);
            }
            body.put("sentAt", EventFactory.SENT_AT.toString());
            batches.add(template(BATCH_PATH, touchpoint, body, messages));
        }
        List<RequestTemplate> tracks = new ArrayList<>(trackCount);
        for (int t = 0; t < trackCount; t++) {
            ObjectNode m = events.nextWebTrack();
            ObjectNode body = m.deepCopy();
            body.remove("type");
            body.put("sentAt", EventFactory.SENT_AT.toString());
            tracks.add(template(TRACK_PATH, Touchpoint.WEB, body, List.of(m)));
        }
        return new Workload(batches, tracks);
    }

    private static RequestTemplate template(
            String path, Touchpoint touchpoint, ObjectNode body, List<ObjectNode> messages) {
        try {
            byte[] json = JSON.writeValueAsBytes(body);
            return new RequestTemplate(path, touchpoint, json, MessageIds.placeholderOffsets(json), messages);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a generated message", e);
        }
    }

    public List<RequestTemplate> batches() {
        return batches;
    }

    public List<RequestTemplate> tracks() {
        return tracks;
    }

    /** Every message of the batch bodies, in order: the events the raw producer sends. */
    public List<ObjectNode> batchMessages() {
        return batches.stream().flatMap(b -> b.messages().stream()).toList();
    }

    /** The mean JSON size of a message in the batch bodies, in bytes. */
    public double meanMessageBytes() {
        long bytes = 0;
        long count = 0;
        for (ObjectNode m : batchMessages()) {
            try {
                bytes += JSON.writeValueAsBytes(m).length;
                count++;
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return count == 0 ? 0 : (double) bytes / count;
    }
}
