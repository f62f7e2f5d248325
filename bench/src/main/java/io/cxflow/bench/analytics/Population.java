package io.cxflow.bench.analytics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.bench.workload.Touchpoint;
import io.cxflow.bench.workload.Vocabulary;
import io.cxflow.collector.message.Envelope;
import io.cxflow.collector.message.EventMapper;
import io.cxflow.collector.message.MessageType;
import io.cxflow.collector.source.Source;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A retailer's omnichannel population and the events it sends, as the collector writes them to {@code
 * cx.events.v1}: every message is built as an SDK sends it and mapped by the collector's own {@link
 * EventMapper}, keyed by its routing id (userId, else anonymousId). Deterministic for a seed.
 *
 * <p>Each person has 1–3 devices (45 % one, 35 % two, 20 % three; a browser or a phone app, each with its own
 * {@code anonymousId}). A share of the people ({@code identifiedShare}) identify: on each device, sooner or later,
 * an {@code identify} with their {@code userId}, email, phone, name and consent, after which that device's
 * events carry the {@code userId} too; once identified they also buy in the shop (till events keyed by {@code
 * userId} alone). The others stay anonymous on every device. One person in five is a regular who sends as many
 * events as the four others together. Events are page views / screens (45 %), product views, cart adds,
 * checkouts and orders, spread over the {@link #SPAN} before {@code end} in arrival order with up to 30 s of
 * disorder in event time.
 */
public final class Population {

    /** The event times lie within this span before the end instant. */
    public static final Duration SPAN = Duration.ofDays(7);

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MAX_DEVICES = 3;
    /** Chance that an event of a not yet identified device of an identifying person is its identify. */
    private static final int IDENTIFY_PERCENT = 25;
    /** Chance that an identified device sends another identify (a trait or consent change). */
    private static final int REIDENTIFY_PERCENT = 2;
    /** Share of an identified person's events that are till orders. */
    private static final int POS_PERCENT = 6;

    private static final List<String> LAST_NAMES =
            List.of("Rossi", "Bianchi", "Mueller", "Schmidt", "Ferrari", "Moreau", "Novak", "Costa", "Keller");

    /** One generated event with its Kafka key (the routing id) and record timestamp (the receive time). */
    public record Keyed(String key, TouchpointEvent event, long timestamp) {}

    private final long seed;
    private final int customers;
    private final int events;
    private final long startMillis;
    private final long stepMicros;
    private final SplittableRandom random;
    private final byte[] devices;
    private final boolean[] identifies;
    private final boolean[] webDevice;
    private final boolean[] identifiedDevice;
    private final boolean[] identifiedPerson;
    private final Map<Touchpoint, Source> sources = new EnumMap<>(Touchpoint.class);
    private final Map<MessageType, Long> byType = new EnumMap<>(MessageType.class);
    private int generated;
    private long keyedByUserId;

    /**
     * @param seed makes the population and the events reproducible
     * @param customers people in the population
     * @param identifiedShare share of the people who identify (0–1)
     * @param events how many events {@link #next()} will be asked for (spaces them over the span)
     * @param end the latest event time; the first events are {@link #SPAN} before it
     */
    public Population(long seed, int customers, double identifiedShare, int events, Instant end) {
        if (customers < 1 || events < 1) {
            throw new IllegalArgumentException("customers and events must be positive");
        }
        if (!(identifiedShare >= 0 && identifiedShare <= 1)) {
            throw new IllegalArgumentException("identifiedShare must be between 0 and 1: " + identifiedShare);
        }
        this.seed = seed;
        this.customers = customers;
        this.events = events;
        this.startMillis = end.minus(SPAN).toEpochMilli();
        this.stepMicros = SPAN.toMillis() * 1000 / events;
        this.random = new SplittableRandom(seed);
        this.devices = new byte[customers];
        this.identifies = new boolean[customers];
        this.webDevice = new boolean[customers * MAX_DEVICES];
        this.identifiedDevice = new boolean[customers * MAX_DEVICES];
        this.identifiedPerson = new boolean[customers];
        SplittableRandom people = new SplittableRandom(seed ^ 0x5DEECE66DL);
        for (int c = 0; c < customers; c++) {
            int roll = people.nextInt(100);
            devices[c] = (byte) (roll < 45 ? 1 : roll < 80 ? 2 : 3);
            identifies[c] = people.nextDouble() < identifiedShare;
            for (int d = 0; d < MAX_DEVICES; d++) {
                // the first device is more often a browser; later ones as often a phone
                webDevice[c * MAX_DEVICES + d] = people.nextInt(100) < (d == 0 ? 65 : 50);
            }
        }
        for (Touchpoint t : Touchpoint.values()) {
            sources.put(t, new Source(t.sourceId(), t.sourceId(), t.channel(), List.of("*"), 0, 0, true));
        }
    }

    /** The next event, in arrival order. */
    public Keyed next() {
        int i = generated++;
        long arrival = startMillis + (i * stepMicros) / 1000;
        // a regular (the first fifth of the people) sends as many events as the four others together
        int c = random.nextBoolean() ? random.nextInt(Math.max(1, customers / 5)) : random.nextInt(customers);
        ObjectNode message;
        MessageType type;
        Touchpoint touchpoint;
        String clientIp = "10." + (c >> 16 & 0xff) + "." + (c >> 8 & 0xff) + "." + (c & 0xff);
        if (identifiedPerson[c] && random.nextInt(100) < POS_PERCENT) {
            touchpoint = Touchpoint.POS;
            type = MessageType.TRACK;
            message = posOrder(c);
        } else {
            int d = random.nextInt(devices[c]);
            int slot = c * MAX_DEVICES + d;
            touchpoint = webDevice[slot] ? Touchpoint.WEB : Touchpoint.MOBILE;
            boolean identified = identifiedDevice[slot];
            boolean identify =
                    identifies[c] && random.nextInt(100) < (identified ? REIDENTIFY_PERCENT : IDENTIFY_PERCENT);
            if (identify) {
                identifiedDevice[slot] = true;
                identifiedPerson[c] = true;
                type = MessageType.IDENTIFY;
                message = identify(c, d, touchpoint);
            } else {
                int roll = random.nextInt(100);
                type = roll < 45
                        ? (touchpoint == Touchpoint.WEB ? MessageType.PAGE : MessageType.SCREEN)
                        : MessageType.TRACK;
                message = type == MessageType.TRACK
                        ? track(c, d, touchpoint, identified)
                        : view(c, d, touchpoint, identified);
            }
        }
        // event time: a little before the arrival (device clocks and SDK queues), up to 30 s of disorder
        long eventTime = arrival - random.nextLong(30_000);
        long sentAt = eventTime + random.nextLong(3_000);
        long receivedAt = Math.max(arrival, sentAt + 20 + random.nextLong(200));
        message.put("timestamp", Instant.ofEpochMilli(eventTime).toString());
        message.put("sentAt", Instant.ofEpochMilli(sentAt).toString());
        message.put("messageId", new UUID(random.nextLong(), random.nextLong()).toString());
        Envelope envelope = Envelope.single(sources.get(touchpoint), Instant.ofEpochMilli(receivedAt), clientIp);
        TouchpointEvent event = EventMapper.map(message, type, envelope);
        String key = EventMapper.routingKey(event);
        byType.merge(type, 1L, Long::sum);
        if (event.getUserId() != null) {
            keyedByUserId++;
        }
        return new Keyed(key, event, receivedAt);
    }

    /** Events generated so far. */
    public int generated() {
        return generated;
    }

    /** Events generated so far, by message type. */
    public Map<MessageType, Long> byType() {
        return Map.copyOf(byType);
    }

    /** Events generated so far that carry a userId (and so are keyed by it). */
    public long keyedByUserId() {
        return keyedByUserId;
    }

    /** People who have identified on at least one device so far. */
    public int identifiedPeople() {
        int n = 0;
        for (boolean b : identifiedPerson) {
            n += b ? 1 : 0;
        }
        return n;
    }

    /** Every device of every person: the anonymous ids the population can send. */
    public int devices() {
        int n = 0;
        for (byte d : devices) {
            n += d;
        }
        return n;
    }

    /** The events the constructor was told to space over the span. */
    public int plannedEvents() {
        return events;
    }

    // ---------------------------------------------------------------------------------------- events

    private ObjectNode view(int c, int d, Touchpoint touchpoint, boolean identified) {
        ObjectNode m = base(c, d, identified);
        if (touchpoint == Touchpoint.WEB) {
            String page = pick(Vocabulary.PAGES);
            String path = path(page);
            m.put("name", page);
            m.put("category", page.equals("Product Detail") ? "Product" : "Shop");
            ObjectNode p = m.putObject("properties");
            p.put("path", path);
            p.put("referrer", pick(Vocabulary.REFERRERS));
            p.put("title", page + " | Example Shop");
            p.put("url", "https://shop.example.com" + path);
            ObjectNode context = context(c, d, touchpoint);
            context.putObject("page").put("path", path);
            if (random.nextInt(4) == 0) {
                context.putObject("campaign")
                        .put("name", "black-friday")
                        .put("source", "newsletter")
                        .put("medium", "email");
            }
            m.set("context", context);
        } else {
            m.put("name", pick(Vocabulary.SCREENS));
            m.putObject("properties").put("from", pick(Vocabulary.SCREENS)).put("load_ms", 80 + random.nextInt(900));
            m.set("context", context(c, d, touchpoint));
        }
        return m;
    }

    private ObjectNode track(int c, int d, Touchpoint touchpoint, boolean identified) {
        ObjectNode m = base(c, d, identified);
        int roll = random.nextInt(100);
        String event = roll < 45
                ? "Product Viewed"
                : roll < 70
                        ? "Product Added"
                        : roll < 82
                                ? "Checkout Started"
                                : roll < 92
                                        ? "Order Completed"
                                        : touchpoint == Touchpoint.WEB
                                                ? "Products Searched"
                                                : "Push Notification Tapped";
        m.put("event", event);
        ObjectNode p = m.putObject("properties");
        switch (event) {
            case "Order Completed", "Checkout Started" -> {
                p.put("order_id", "W" + (1_000_000 + random.nextInt(9_000_000)));
                p.put("revenue", money(20, 400));
                p.put("shipping", money(0, 10));
                p.put("currency", "EUR");
                ArrayNode products = p.putArray("products");
                int n = 1 + random.nextInt(3);
                for (int k = 0; k < n; k++) {
                    products.addObject()
                            .put("product_id", sku())
                            .put("quantity", 1 + random.nextInt(2))
                            .put("price", money(10, 120));
                }
            }
            case "Products Searched" ->
                p.put("query", pick(Vocabulary.PRODUCTS).split(" ")[0].toLowerCase(Locale.ROOT));
            case "Push Notification Tapped" -> {
                p.put("campaign", "bf-2026-push-" + random.nextInt(5));
                p.put("message_id", "pn-" + Long.toHexString(random.nextLong()));
            }
            default -> {
                String sku = sku();
                p.put("product_id", sku);
                p.put("name", pick(Vocabulary.PRODUCTS));
                p.put("category", pick(Vocabulary.CATEGORIES));
                p.put("price", money(10, 150));
                p.put("currency", "EUR");
            }
        }
        m.set("context", context(c, d, touchpoint));
        return m;
    }

    private ObjectNode identify(int c, int d, Touchpoint touchpoint) {
        ObjectNode m = base(c, d, true);
        String first = Vocabulary.FIRST_NAMES.get(c % Vocabulary.FIRST_NAMES.size());
        String last = LAST_NAMES.get((c / Vocabulary.FIRST_NAMES.size()) % LAST_NAMES.size());
        ObjectNode t = m.putObject("traits");
        t.put("email", (first + "." + last + c + "@example.com").toLowerCase(Locale.ROOT));
        t.put("firstName", first);
        t.put("lastName", last);
        t.put("phone", "+39333" + (1_000_000 + c));
        t.putObject("consent").put("email", random.nextInt(4) != 0).put("sms", random.nextInt(3) == 0);
        m.set("context", context(c, d, touchpoint));
        return m;
    }

    private ObjectNode posOrder(int c) {
        ObjectNode m = NODES.objectNode();
        m.put("userId", userId(c));
        m.put("event", "Order Completed");
        ObjectNode p = m.putObject("properties");
        int store = 100 + random.nextInt(60);
        p.put("order_id", "S" + store + "-" + (100_000 + random.nextInt(900_000)));
        p.put("store_id", "store-" + store);
        p.put("loyalty_card", "LC" + (10_000_000 + c));
        p.put("revenue", money(5, 300));
        p.put("currency", "EUR");
        p.put("payment", random.nextBoolean() ? "card" : "cash");
        ArrayNode products = p.putArray("products");
        int n = 1 + random.nextInt(3);
        for (int k = 0; k < n; k++) {
            products.addObject()
                    .put("sku", sku())
                    .put("quantity", 1 + random.nextInt(3))
                    .put("price", money(3, 90));
        }
        m.putObject("context").putObject("library").put("name", "cx-pos-bridge").put("version", "1.3.0");
        return m;
    }

    private ObjectNode base(int c, int d, boolean identified) {
        ObjectNode m = NODES.objectNode();
        m.put("anonymousId", anonymousId(c, d));
        if (identified) {
            m.put("userId", userId(c));
        }
        return m;
    }

    private ObjectNode context(int c, int d, Touchpoint touchpoint) {
        ObjectNode context = NODES.objectNode();
        if (touchpoint == Touchpoint.WEB) {
            context.putObject("library").put("name", "analytics.js").put("version", "5.2.0");
            context.put("userAgent", Vocabulary.USER_AGENTS.get((c + d) % Vocabulary.USER_AGENTS.size()));
            context.put("locale", Vocabulary.LOCALES.get(c % Vocabulary.LOCALES.size()));
        } else {
            String[] phone =
                    Vocabulary.PHONES.get((c + d) % Vocabulary.PHONES.size()).split("\\|");
            boolean ios = phone[2].equals("ios");
            context.putObject("app")
                    .put("name", "Example Shop")
                    .put("version", "4.12.0")
                    .put("build", "41203");
            context.putObject("device")
                    .put("id", anonymousId(c, d))
                    .put("manufacturer", phone[0])
                    .put("model", phone[1])
                    .put("type", phone[2]);
            context.putObject("os").put("name", ios ? "iOS" : "Android").put("version", phone[3]);
            context.putObject("network").put("wifi", random.nextBoolean());
            context.putObject("library")
                    .put("name", ios ? "analytics-ios" : "analytics-android")
                    .put("version", "4.1.8");
            context.put("locale", Vocabulary.LOCALES.get(c % Vocabulary.LOCALES.size()));
            context.put("timezone", Vocabulary.TIMEZONES.get(c % Vocabulary.TIMEZONES.size()));
        }
        return context;
    }

    private String anonymousId(int c, int d) {
        // stable per person and device, UUID-shaped like the SDKs' ids
        SplittableRandom r = new SplittableRandom(seed * 31 + (long) c * MAX_DEVICES + d);
        return new UUID(r.nextLong(), r.nextLong()).toString();
    }

    private static String userId(int c) {
        return "u-" + (1_000_000 + c);
    }

    private String sku() {
        return "sku-" + (10_000 + random.nextInt(90_000));
    }

    private BigDecimal money(int min, int max) {
        long cents = min * 100L + random.nextLong((max - min) * 100L + 1);
        return BigDecimal.valueOf(cents, 2).setScale(2, RoundingMode.UNNECESSARY);
    }

    private String path(String page) {
        return switch (page) {
            case "Home" -> "/";
            case "Category" ->
                "/c/" + pick(Vocabulary.CATEGORIES).toLowerCase(Locale.ROOT).replace('/', '-');
            case "Product Detail" -> "/p/" + sku();
            case "Cart" -> "/cart";
            default -> "/search?q=" + pick(Vocabulary.PRODUCTS).split(" ")[0].toLowerCase(Locale.ROOT);
        };
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
