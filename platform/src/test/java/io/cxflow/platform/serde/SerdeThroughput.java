package io.cxflow.platform.serde;

import io.cxflow.avro.CampaignContext;
import io.cxflow.avro.Context;
import io.cxflow.avro.EventType;
import io.cxflow.avro.LibraryContext;
import io.cxflow.avro.PageContext;
import io.cxflow.avro.TouchpointEvent;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Single-thread throughput of the Avro serde on a realistic {@link TouchpointEvent} (about 500 bytes
 * on the wire), against the in-memory registry so only the serde's own CPU is measured.
 *
 * <p>Not a test: run its {@code main} from the test classpath, e.g. {@code java -cp
 * target/classes:target/test-classes:<deps> io.cxflow.platform.serde.SerdeThroughput [seconds per round]}.
 * It prints records per second for serialize and deserialize (best and median of five rounds after a
 * warm-up).
 */
public final class SerdeThroughput {

    private static final String TOPIC = "cx.events.v1";
    private static final int DISTINCT = 1024;
    private static final int ROUNDS = 5;

    private SerdeThroughput() {}

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2.0;
        try (RegistrySerdes serdes = RegistrySerdes.inMemory()) {
            Serde<TouchpointEvent> serde = serdes.avro(TouchpointEvent.class, false);
            TouchpointEvent[] events = new TouchpointEvent[DISTINCT];
            byte[][] encoded = new byte[DISTINCT][];
            for (int i = 0; i < DISTINCT; i++) {
                events[i] = realisticEvent(i);
                encoded[i] = serde.serializer().serialize(TOPIC, events[i]);
            }
            System.out.printf(
                    Locale.ROOT, "TouchpointEvent: %d bytes on the wire (5-byte prefix included)%n", encoded[0].length);

            report("serialize", measure(seconds, n -> serializeBatch(serde.serializer(), events, n)));
            report("deserialize", measure(seconds, n -> deserializeBatch(serde.deserializer(), encoded, n)));
        }
    }

    private interface Batch {
        long run(int count);
    }

    private static long serializeBatch(Serializer<TouchpointEvent> serializer, TouchpointEvent[] events, int count) {
        long sink = 0;
        for (int i = 0; i < count; i++) {
            sink += serializer.serialize(TOPIC, events[i & (DISTINCT - 1)]).length;
        }
        return sink;
    }

    private static long deserializeBatch(Deserializer<TouchpointEvent> deserializer, byte[][] encoded, int count) {
        long sink = 0;
        for (int i = 0; i < count; i++) {
            sink += deserializer
                    .deserialize(TOPIC, encoded[i & (DISTINCT - 1)])
                    .getMessageId()
                    .length();
        }
        return sink;
    }

    /** Records per second of each round, after one warm-up round of the same length. */
    private static double[] measure(double seconds, Batch batch) {
        long sink = 0;
        double[] rates = new double[ROUNDS];
        long budget = (long) (seconds * 1e9);
        for (int round = -1; round < ROUNDS; round++) {
            long records = 0;
            long start = System.nanoTime();
            long elapsed;
            do {
                sink += batch.run(DISTINCT);
                records += DISTINCT;
                elapsed = System.nanoTime() - start;
            } while (elapsed < budget);
            if (round >= 0) {
                rates[round] = records / (elapsed / 1e9);
            }
        }
        if (sink == 42) {
            System.out.println();
        }
        return rates;
    }

    private static void report(String what, double[] rates) {
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        System.out.printf(
                Locale.ROOT,
                "%-12s best %,10.0f records/s   median %,10.0f records/s%n",
                what,
                sorted[sorted.length - 1],
                sorted[sorted.length / 2]);
    }

    static TouchpointEvent realisticEvent(int i) {
        long receivedAt = 1_764_000_000_000L + i;
        return TouchpointEvent.newBuilder()
                .setMessageId("7f6c2c1e-3b0a-4d7e-9a51-" + String.format(Locale.ROOT, "%012d", i))
                .setType(EventType.TRACK)
                .setSourceId("web-storefront")
                .setChannel("web")
                .setAnonymousId("a0f3e8b2-61c4-4b5e-8f0d-2d9c7a1b" + String.format(Locale.ROOT, "%04d", i % 10_000))
                .setUserId("user-" + (i % 5_000))
                .setEvent("Order Completed")
                .setProperties("{\"currency\":\"EUR\",\"orderId\":\"o-" + i
                        + "\",\"products\":[{\"price\":49.9,\"quantity\":1,\"sku\":\"SKU-1042\"}],"
                        + "\"revenue\":49.9}")
                .setContext(Context.newBuilder()
                        .setIp("203.0.113.17")
                        .setUserAgent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0 Safari/537.36")
                        .setLocale("de-DE")
                        .setTimezone("Europe/Berlin")
                        .setPage(PageContext.newBuilder()
                                .setPath("/checkout/complete")
                                .setTitle("Thank you for your order")
                                .setUrl("https://shop.example.com/checkout/complete")
                                .build())
                        .setCampaign(CampaignContext.newBuilder()
                                .setName("winter-sale")
                                .setSource("newsletter")
                                .setMedium("email")
                                .build())
                        .setLibrary(LibraryContext.newBuilder()
                                .setName("analytics.js")
                                .setVersion("4.1.0")
                                .build())
                        .build())
                .setOriginalTimestamp(Instant.ofEpochMilli(receivedAt - 1_500))
                .setSentAt(Instant.ofEpochMilli(receivedAt - 200))
                .setReceivedAt(Instant.ofEpochMilli(receivedAt))
                .setTimestamp(Instant.ofEpochMilli(receivedAt - 1_300))
                .build();
    }
}
