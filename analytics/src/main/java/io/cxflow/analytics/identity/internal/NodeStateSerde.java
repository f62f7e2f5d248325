package io.cxflow.analytics.identity.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** {@code identity-nodes} values; the key is not repeated in the value (the store passes it). */
public final class NodeStateSerde implements Serde<NodeStateSerde.Stored> {

    private static final int FORMAT = 1;

    /** A node as stored, without its key. */
    public record Stored(
            String customerId, boolean conflicted, boolean routed, Map<String, NodeState.Neighbour> neighbours) {

        public static Stored of(NodeState node) {
            return new Stored(node.customerId(), node.conflicted(), node.routed(), node.neighbours());
        }

        public NodeState toNode(String key) {
            return new NodeState(key, customerId, conflicted, routed, neighbours);
        }
    }

    @Override
    public Serializer<Stored> serializer() {
        return (topic, node) -> node == null
                ? null
                : Codec.encode(FORMAT, out -> {
                    Codec.writeString(out, node.customerId());
                    out.writeBoolean(node.conflicted());
                    out.writeBoolean(node.routed());
                    out.writeInt(node.neighbours().size());
                    for (Map.Entry<String, NodeState.Neighbour> entry :
                            node.neighbours().entrySet()) {
                        Codec.writeString(out, entry.getKey());
                        Codec.writeOrder(out, entry.getValue().order());
                        out.writeBoolean(entry.getValue().alias());
                    }
                });
    }

    @Override
    public Deserializer<Stored> deserializer() {
        return (topic, data) -> Codec.decode(data, FORMAT, "identity node", NodeStateSerde::read);
    }

    private static Stored read(DataInputStream in) throws IOException {
        String customerId = Codec.readString(in);
        boolean conflicted = in.readBoolean();
        boolean routed = in.readBoolean();
        int size = in.readInt();
        Map<String, NodeState.Neighbour> neighbours = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            String other = Codec.readString(in);
            LinkOrder order = Codec.readOrder(in);
            neighbours.put(other, new NodeState.Neighbour(order, in.readBoolean()));
        }
        return new Stored(customerId, conflicted, routed, neighbours);
    }
}
