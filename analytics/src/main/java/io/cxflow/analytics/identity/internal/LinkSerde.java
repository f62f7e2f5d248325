package io.cxflow.analytics.identity.internal;

import java.io.DataInputStream;
import java.io.IOException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** {@link Link} on the {@code identity-links} repartition topic. */
public final class LinkSerde {

    private static final int FORMAT = 1;

    private LinkSerde() {}

    public static Serde<Link> serde() {
        Serializer<Link> serializer = (topic, link) -> link == null
                ? null
                : Codec.encode(FORMAT, out -> {
                    Codec.writeString(out, link.from());
                    Codec.writeString(out, link.to());
                    Codec.writeOrder(out, link.order());
                    out.writeBoolean(link.alias());
                });
        Deserializer<Link> deserializer = (topic, data) -> Codec.decode(data, FORMAT, "identity link", LinkSerde::read);
        return Serdes.serdeFrom(serializer, deserializer);
    }

    private static Link read(DataInputStream in) throws IOException {
        return new Link(Codec.readString(in), Codec.readString(in), Codec.readOrder(in), in.readBoolean());
    }
}
