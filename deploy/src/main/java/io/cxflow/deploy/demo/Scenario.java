package io.cxflow.deploy.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.text.Normalizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * A realistic omnichannel population: customers who browse anonymously on web and mobile, log in, add to cart,
 * buy online or in store, call the call center and open emails; some abandon their carts. Deterministic for a
 * given seed. Each call of {@link #next()} advances one customer's journey by one step and returns the message
 * to send, with the write key of the touchpoint that sends it.
 */
public final class Scenario {

    /** One message for the collector: which source sends it, to which path, and the Segment-spec body. */
    public record Message(String writeKey, String type, ObjectNode body) {}

    private static final String[] FIRST = {
        "Ann", "Marco", "Sofia", "Luca", "Emma", "Noah", "Giulia", "Liam", "Mia", "Leo", "Chiara", "Omar", "Yuki",
        "Ines", "Jonas", "Zoe"
    };
    private static final String[] LAST = {
        "Rossi", "Smith", "Bianchi", "Müller", "García", "Dubois", "Tanaka", "Novak", "Kowalski", "Silva", "Jensen"
    };
    private static final String[] PRODUCTS = {
        "sku-rain-jacket", "sku-trail-shoes", "sku-wool-socks", "sku-backpack-30l", "sku-headlamp", "sku-thermos"
    };
    private static final double[] PRICES = {129.90, 89.50, 12.00, 74.99, 34.95, 24.90};
    private static final String[] TIMEZONES = {"Europe/Rome", "Europe/Berlin", "Europe/London", "America/New_York"};

    private enum Stage {
        BROWSING,
        LOGGED_IN,
        CART,
        CUSTOMER
    }

    private static final class Customer {
        final int n;
        final String userId;
        final String email;
        final String firstName;
        final String lastName;
        final String timezone;
        final List<String> devices = new ArrayList<>();
        final boolean abandoner;
        Stage stage = Stage.BROWSING;
        int steps;

        Customer(int n, Random rnd) {
            this.n = n;
            this.firstName = FIRST[rnd.nextInt(FIRST.length)];
            this.lastName = LAST[rnd.nextInt(LAST.length)];
            this.userId = "u-" + (10_000 + n);
            String local = Normalizer.normalize(firstName + "." + lastName + n, Normalizer.Form.NFD)
                    .replaceAll("\\p{M}", "");
            this.email = (local + "@example.com").toLowerCase(Locale.ROOT);
            this.timezone = TIMEZONES[rnd.nextInt(TIMEZONES.length)];
            int deviceCount = 1 + rnd.nextInt(3);
            for (int i = 0; i < deviceCount; i++) {
                devices.add(new UUID(rnd.nextLong(), rnd.nextLong()).toString());
            }
            this.abandoner = rnd.nextInt(4) == 0;
        }
    }

    private final ObjectMapper json;
    private final Random rnd;
    private final List<Customer> customers = new ArrayList<>();

    /**
     * @param json the mapper used to build bodies
     * @param customers how many distinct customers the population has
     * @param seed random seed (the same seed plays the same scenario)
     */
    public Scenario(ObjectMapper json, int customers, long seed) {
        if (customers < 1) {
            throw new IllegalArgumentException("customers must be >= 1");
        }
        this.json = json;
        this.rnd = new Random(seed);
        for (int i = 0; i < customers; i++) {
            this.customers.add(new Customer(i, rnd));
        }
    }

    public int customers() {
        return customers.size();
    }

    /** The next message of a randomly chosen customer's journey. */
    public Message next() {
        Customer c = customers.get(rnd.nextInt(customers.size()));
        c.steps++;
        return switch (c.stage) {
            case BROWSING -> browse(c);
            case LOGGED_IN -> loggedIn(c);
            case CART -> cart(c);
            case CUSTOMER -> afterPurchase(c);
        };
    }

    private Message browse(Customer c) {
        int device = rnd.nextInt(c.devices.size());
        boolean mobile = device % 2 == 1;
        if (c.steps > 2 && rnd.nextInt(3) == 0) {
            c.stage = Stage.LOGGED_IN;
            return identify(c, device, mobile);
        }
        if (rnd.nextBoolean()) {
            return pageOrScreen(c, device, mobile, null);
        }
        return track(c, device, mobile, "Product Viewed", product(rnd.nextInt(PRODUCTS.length)), true);
    }

    private Message loggedIn(Customer c) {
        int device = rnd.nextInt(c.devices.size());
        boolean mobile = device % 2 == 1;
        int p = rnd.nextInt(PRODUCTS.length);
        if (rnd.nextInt(3) == 0) {
            c.stage = Stage.CART;
            return track(c, device, mobile, "Product Added", product(p), false);
        }
        return track(c, device, mobile, "Product Viewed", product(p), false);
    }

    private Message cart(Customer c) {
        int device = rnd.nextInt(c.devices.size());
        boolean mobile = device % 2 == 1;
        if (c.abandoner) {
            // abandoners keep looking but never complete the order online
            return pageOrScreen(c, device, mobile, c.userId);
        }
        c.stage = Stage.CUSTOMER;
        return order(c, device, mobile);
    }

    private Message afterPurchase(Customer c) {
        int pick = rnd.nextInt(10);
        if (pick < 2) {
            return posOrder(c);
        }
        if (pick < 3) {
            return callCenter(c);
        }
        if (pick < 6) {
            return email(c, pick < 5 ? "Email Opened" : "Email Link Clicked");
        }
        int device = rnd.nextInt(c.devices.size());
        return pageOrScreen(c, device, device % 2 == 1, c.userId);
    }

    private ObjectNode base(Customer c, int device, boolean withUser) {
        ObjectNode body = json.createObjectNode();
        body.put("messageId", UUID.randomUUID().toString());
        if (device >= 0) {
            body.put("anonymousId", c.devices.get(device));
        }
        if (withUser) {
            body.put("userId", c.userId);
        }
        body.put("timestamp", Instant.now().toString());
        return body;
    }

    private ObjectNode context(Customer c, boolean mobile) {
        ObjectNode ctx = json.createObjectNode();
        ctx.put("timezone", c.timezone);
        ctx.put("locale", "en-US");
        if (mobile) {
            ObjectNode app = ctx.putObject("app");
            app.put("name", "Outdoor Shop");
            app.put("version", "4.12.0");
            ObjectNode deviceNode = ctx.putObject("device");
            deviceNode.put("manufacturer", "Apple");
            deviceNode.put("model", "iPhone15,2");
            deviceNode.put("type", "ios");
        } else {
            ctx.put("userAgent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/142.0 Safari/537.36");
        }
        return ctx;
    }

    private ObjectNode product(int p) {
        ObjectNode props = json.createObjectNode();
        props.put("product_id", PRODUCTS[p]);
        props.put("price", PRICES[p]);
        props.put("currency", "EUR");
        return props;
    }

    private Message pageOrScreen(Customer c, int device, boolean mobile, String userId) {
        ObjectNode body = base(c, device, userId != null);
        body.set("context", context(c, mobile));
        if (mobile) {
            body.put("name", rnd.nextBoolean() ? "Home" : "Catalog");
            return new Message("dev-mobile", "screen", body);
        }
        String path = rnd.nextBoolean() ? "/" : "/catalog/jackets";
        body.put("name", path.equals("/") ? "Home" : "Jackets");
        ObjectNode props = body.putObject("properties");
        props.put("path", path);
        props.put("url", "https://shop.example.com" + path);
        props.put("title", "Outdoor Shop");
        return new Message("dev-web", "page", body);
    }

    private Message track(Customer c, int device, boolean mobile, String event, ObjectNode props, boolean anonymous) {
        ObjectNode body = base(c, device, !anonymous);
        body.put("event", event);
        body.set("properties", props);
        body.set("context", context(c, mobile));
        return new Message(mobile ? "dev-mobile" : "dev-web", "track", body);
    }

    private Message identify(Customer c, int device, boolean mobile) {
        ObjectNode body = base(c, device, true);
        ObjectNode traits = body.putObject("traits");
        traits.put("email", c.email);
        traits.put("firstName", c.firstName);
        traits.put("lastName", c.lastName);
        ObjectNode consent = traits.putObject("consent");
        consent.put("email", rnd.nextInt(5) != 0);
        consent.put("sms", rnd.nextBoolean());
        body.set("context", context(c, mobile));
        return new Message(mobile ? "dev-mobile" : "dev-web", "identify", body);
    }

    private Message order(Customer c, int device, boolean mobile) {
        ObjectNode body = base(c, device, true);
        body.put("event", "Order Completed");
        ObjectNode props = body.putObject("properties");
        props.put("order_id", "o-" + UUID.randomUUID());
        int p = rnd.nextInt(PRODUCTS.length);
        int qty = 1 + rnd.nextInt(3);
        props.put("revenue", Math.round(PRICES[p] * qty * 100) / 100.0);
        props.put("currency", "EUR");
        ArrayNode items = props.putArray("products");
        ObjectNode item = product(p);
        item.put("quantity", qty);
        items.add(item);
        body.set("context", context(c, mobile));
        return new Message(mobile ? "dev-mobile" : "dev-web", "track", body);
    }

    private Message posOrder(Customer c) {
        ObjectNode body = base(c, -1, true);
        body.put("event", "Order Completed");
        ObjectNode props = body.putObject("properties");
        props.put("order_id", "pos-" + UUID.randomUUID());
        props.put("store_id", "store-" + (1 + rnd.nextInt(12)));
        int p = rnd.nextInt(PRODUCTS.length);
        props.put("total", PRICES[p]);
        props.put("currency", "EUR");
        ObjectNode traits = body.putObject("context").putObject("traits");
        traits.put("email", c.email);
        return new Message("dev-pos", "track", body);
    }

    private Message callCenter(Customer c) {
        ObjectNode body = base(c, -1, true);
        body.put("event", "Support Call Completed");
        ObjectNode props = body.putObject("properties");
        props.put("topic", rnd.nextBoolean() ? "delivery" : "returns");
        props.put("duration_seconds", 60 + rnd.nextInt(900));
        props.put("resolved", rnd.nextInt(4) != 0);
        return new Message("dev-call-center", "track", body);
    }

    private Message email(Customer c, String event) {
        ObjectNode body = base(c, -1, true);
        body.put("event", event);
        ObjectNode props = body.putObject("properties");
        props.put("campaign", "autumn-gear");
        props.put("email_id", "em-" + (c.n % 7));
        return new Message("dev-email", "track", body);
    }
}
