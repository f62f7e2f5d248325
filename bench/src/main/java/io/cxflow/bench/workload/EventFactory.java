package io.cxflow.bench.workload;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Realistic Segment-spec messages as the touchpoints of a retailer send them: analytics.js page views, e-commerce
 * track events and identifies from the web shop; screens and app events with device context from the mobile app;
 * completed orders and loyalty identifies from the store tills. Deterministic for a seed.
 *
 * <p>Every message carries {@code type} (as in a batch) and a placeholder {@code messageId} of {@link
 * MessageIds#PLACEHOLDER_LENGTH} characters that {@link MessageIds} fills with a unique id. Their JSON is about
 * 500 bytes on average (400–700).
 */
public final class EventFactory {

    /** The event times lie within the day before this instant; requests carry it as {@code sentAt}. */
    public static final Instant SENT_AT = Instant.parse("2026-11-22T18:00:00Z");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int USERS = 200_000;

    private static final List<String> LAST_NAMES =
            List.of("Rossi", "Bianchi", "Müller", "Schmidt", "Ferrari", "Moreau", "Novak", "Costa", "Keller");

    private final SplittableRandom random;

    public EventFactory(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The next message of that touchpoint, in the mix it sends. */
    public ObjectNode next(Touchpoint touchpoint) {
        int roll = random.nextInt(100);
        return switch (touchpoint) {
            case WEB -> roll < 35 ? webPage() : roll < 85 ? webTrack() : identify(Touchpoint.WEB);
            case MOBILE -> roll < 40 ? mobileScreen() : roll < 90 ? mobileTrack() : identify(Touchpoint.MOBILE);
            case POS -> roll < 80 ? posOrder() : identify(Touchpoint.POS);
        };
    }

    /** A web {@code track} message: what a single-event {@code /v1/track} request carries. */
    public ObjectNode nextWebTrack() {
        return webTrack();
    }

    // ------------------------------------------------------------------------------------------ web

    private ObjectNode webPage() {
        ObjectNode m = message("page", Touchpoint.WEB);
        String page = pick(Vocabulary.PAGES);
        String path = path(page);
        m.put("name", page);
        m.put("category", page.equals("Product Detail") ? "Product" : "Shop");
        ObjectNode p = m.putObject("properties");
        p.put("path", path);
        p.put("referrer", pick(Vocabulary.REFERRERS));
        p.put("title", page + " | Example Shop");
        p.put("url", "https://shop.example.com" + path);
        ObjectNode c = webContext();
        c.putObject("page").put("path", path);
        if (random.nextInt(4) == 0) {
            c.putObject("campaign")
                    .put("name", "black-friday")
                    .put("source", "newsletter")
                    .put("medium", "email");
        }
        m.set("context", c);
        return m;
    }

    private ObjectNode webTrack() {
        ObjectNode m = message("track", Touchpoint.WEB);
        int roll = random.nextInt(100);
        String event = roll < 55
                ? "Product Viewed"
                : roll < 80 ? "Product Added" : roll < 92 ? "Checkout Started" : "Order Completed";
        m.put("event", event);
        ObjectNode p = m.putObject("properties");
        if (event.equals("Order Completed") || event.equals("Checkout Started")) {
            p.put("order_id", "W" + (1_000_000 + random.nextInt(9_000_000)));
            p.put("revenue", money(20, 400));
            p.put("shipping", money(0, 10));
            p.put("currency", "EUR");
            p.put("coupon", random.nextInt(3) == 0 ? "WELCOME10" : "");
            ArrayNode products = p.putArray("products");
            int n = 1 + random.nextInt(2);
            for (int i = 0; i < n; i++) {
                products.addObject()
                        .put("product_id", sku())
                        .put("quantity", 1 + random.nextInt(2))
                        .put("price", money(10, 120));
            }
        } else {
            String sku = sku();
            p.put("product_id", sku);
            p.put("name", pick(Vocabulary.PRODUCTS));
            p.put("category", pick(Vocabulary.CATEGORIES));
            p.put("price", money(10, 150));
            p.put("currency", "EUR");
            p.put("url", "https://shop.example.com/p/" + sku);
        }
        m.set("context", webContext());
        return m;
    }

    private ObjectNode webContext() {
        ObjectNode c = NODES.objectNode();
        c.putObject("library").put("name", "analytics.js").put("version", "5.2.0");
        c.put("userAgent", pick(Vocabulary.USER_AGENTS));
        c.put("locale", pick(Vocabulary.LOCALES));
        return c;
    }

    // --------------------------------------------------------------------------------------- mobile

    private ObjectNode mobileScreen() {
        ObjectNode m = message("screen", Touchpoint.MOBILE);
        String screen = pick(Vocabulary.SCREENS);
        m.put("name", screen);
        m.putObject("properties").put("from", pick(Vocabulary.SCREENS)).put("load_ms", 80 + random.nextInt(900));
        m.set("context", mobileContext());
        return m;
    }

    private ObjectNode mobileTrack() {
        ObjectNode m = message("track", Touchpoint.MOBILE);
        int roll = random.nextInt(100);
        String event = roll < 50 ? "Product Viewed" : roll < 80 ? "Product Added" : "Push Notification Tapped";
        m.put("event", event);
        ObjectNode p = m.putObject("properties");
        if (event.startsWith("Push")) {
            p.put("campaign", "bf-2026-push-" + random.nextInt(5));
            p.put("message_id", "pn-" + Long.toHexString(random.nextLong()));
        } else {
            p.put("product_id", sku());
            p.put("name", pick(Vocabulary.PRODUCTS));
            p.put("price", money(10, 150));
            p.put("currency", "EUR");
        }
        m.set("context", mobileContext());
        return m;
    }

    private ObjectNode mobileContext() {
        String[] d = pick(Vocabulary.PHONES).split("\\|");
        ObjectNode c = NODES.objectNode();
        c.putObject("app")
                .put("name", "Example Shop")
                .put("version", "4.12.0")
                .put("build", "4120" + random.nextInt(10));
        c.putObject("device").put("manufacturer", d[0]).put("model", d[1]).put("type", d[2]);
        c.putObject("os").put("name", d[2].equals("ios") ? "iOS" : "Android").put("version", d[3]);
        c.putObject("network").put("wifi", random.nextBoolean());
        c.putObject("library")
                .put("name", d[2].equals("ios") ? "analytics-ios" : "analytics-android")
                .put("version", "4.1.8");
        c.put("locale", pick(Vocabulary.LOCALES));
        c.put("timezone", pick(Vocabulary.TIMEZONES));
        return c;
    }

    // ------------------------------------------------------------------------------------------ pos

    private ObjectNode posOrder() {
        ObjectNode m = message("track", Touchpoint.POS);
        m.put("event", "Order Completed");
        ObjectNode p = m.putObject("properties");
        int store = 100 + random.nextInt(60);
        p.put("order_id", "S" + store + "-" + (100_000 + random.nextInt(900_000)));
        p.put("store_id", "store-" + store);
        p.put("register", 1 + random.nextInt(6));
        p.put("revenue", money(5, 300));
        p.put("currency", "EUR");
        p.put("payment", random.nextBoolean() ? "card" : "cash");
        ArrayNode products = p.putArray("products");
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            products.addObject()
                    .put("sku", sku())
                    .put("quantity", 1 + random.nextInt(3))
                    .put("price", money(3, 90));
        }
        m.putObject("context").putObject("library").put("name", "cx-pos-bridge").put("version", "1.3.0");
        return m;
    }

    // ----------------------------------------------------------------------------------------- both

    private ObjectNode identify(Touchpoint touchpoint) {
        ObjectNode m = message("identify", touchpoint);
        int user = random.nextInt(USERS);
        m.put("userId", userId(user));
        String first = pick(Vocabulary.FIRST_NAMES);
        String last = pick(LAST_NAMES);
        ObjectNode t = m.putObject("traits");
        t.put("email", (first + "." + last + user + "@example.com").toLowerCase(Locale.ROOT));
        t.put("firstName", first);
        t.put("lastName", last);
        t.put("phone", "+39333" + (1_000_000 + user));
        t.putObject("consent").put("email", random.nextInt(4) != 0).put("sms", random.nextInt(3) == 0);
        if (touchpoint == Touchpoint.POS) {
            t.put("loyaltyCard", "LC" + (10_000_000 + user));
            m.putObject("context").putObject("library").put("name", "cx-pos-bridge");
        } else {
            m.set("context", touchpoint == Touchpoint.WEB ? webContext() : mobileContext());
        }
        return m;
    }

    /** The fields every message has: type, messageId placeholder, identities, timestamp. */
    private ObjectNode message(String type, Touchpoint touchpoint) {
        ObjectNode m = NODES.objectNode();
        m.put("type", type);
        m.put("messageId", MessageIds.PLACEHOLDER);
        int user = random.nextInt(USERS);
        // the web and the app mostly see anonymous visitors; the tills mostly loyalty members
        boolean known = random.nextInt(100) < (touchpoint == Touchpoint.POS ? 80 : 40);
        m.put("anonymousId", anonymousId(user, touchpoint));
        if (known) {
            m.put("userId", userId(user));
        }
        m.put("timestamp", SENT_AT.minusMillis(random.nextLong(86_400_000L)).toString());
        return m;
    }

    private static String userId(int user) {
        return "u-" + (1_000_000 + user);
    }

    private static String anonymousId(int user, Touchpoint touchpoint) {
        // stable per user and touchpoint, UUID-shaped like the SDKs' ids
        Random r = new Random(user * 31L + touchpoint.ordinal());
        return new java.util.UUID(r.nextLong(), r.nextLong()).toString();
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
