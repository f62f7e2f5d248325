package io.cxflow.testkit.population;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.avro.AppContext;
import io.cxflow.avro.EventType;
import io.cxflow.avro.LibraryContext;
import io.cxflow.avro.PageContext;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.testkit.population.Traps.DeviceKind;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Writes the events of a population. Every choice comes from one {@link Random} seeded by the caller and
 * every collection is iterated in a fixed order, so a seed always gives the same log.
 */
final class Generator {

    static final long SECOND = 1_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    /** Priority indexes of the default {@code analytics.identity.priority} (userId, email, phone, anonymousId). */
    static final int PRIORITY_EMAIL = 1;

    static final int PRIORITY_PHONE = 2;
    static final int PRIORITY_ANONYMOUS_ID = 3;

    private static final JsonNodeFactory JSON = JsonNodeFactory.withExactBigDecimals(true);
    private static final String[] FIRST_NAMES = {
        "Anna", "Marco", "Giulia", "Luca", "Sofia", "Matteo", "Chiara", "Paolo", "Elena", "Davide", "Sara", "Andrea",
        "Laura", "Jonas", "Lena", "Felix", "Emma", "Noah", "Mia", "Tom", "Olivia", "James", "Amelia", "Leo"
    };
    private static final String[] LAST_NAMES = {
        "Rossi", "Bianchi", "Ferrari", "Esposito", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno",
        "Schmidt", "Schneider", "Fischer", "Weber", "Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans"
    };
    private static final String[] DOMAINS = {"example.com", "example.org", "example.net", "mail.example"};
    /** Italian mobile prefixes: +39 3xx and 7 digits. */
    private static final String[] IT_PREFIXES = {
        "320", "324", "328", "329", "330", "331", "333", "334", "335", "338", "339", "340", "345", "347", "348", "349",
        "366", "380", "388", "389", "392", "393"
    };
    /** German mobile prefixes that take 8 more digits: +49 15x/17x. */
    private static final String[] DE_PREFIXES = {"151", "152", "157", "159", "176", "177", "178", "179"};

    private static final String[] PAGES = {"Home", "Category", "Product", "Search", "Cart"};
    private static final String[] SCREENS = {"Home", "Product Detail", "Cart", "Search", "Orders"};
    private static final String[] CALL_REASONS = {"delivery", "return", "invoice", "product question"};

    private final Random rnd;
    private final int count;
    private final long start;
    private final String defaultCurrency;

    final List<Person> persons = new ArrayList<>();
    final List<Draft> drafts = new ArrayList<>();
    /** Family computers, store terminals and call-center desks, in creation order. */
    final List<Device> sharedDevices = new ArrayList<>();

    final List<ImportTrap> imports = new ArrayList<>();
    final List<Person> aliasPersons = new ArrayList<>();
    final List<String> crossSourceMessageIds = new ArrayList<>();
    /** The family computer whose winner's links are made to arrive last. */
    Device lateWinnerDevice;

    Draft lateAlias;

    private final Set<String> phones = new HashSet<>();
    private long seq;

    Generator(long seed, int count, long start, String defaultCurrency) {
        this.rnd = new Random(seed);
        this.count = count;
        this.start = start;
        this.defaultCurrency = defaultCurrency;
    }

    /** Generates the persons and all their events, traps included; times are final when this returns. */
    void generate() {
        createPersons();
        List<Person> identified = new ArrayList<>();
        for (Person p : persons) {
            if (p.kind == Person.Kind.IDENTIFIED) {
                identified.add(p);
            }
        }
        List<Person> shuffled = new ArrayList<>(identified);
        Collections.shuffle(shuffled, rnd);
        Deque<Person> free = new ArrayDeque<>(shuffled);

        int trapUnits = Math.max(1, count / 75);
        for (int i = 0; i < trapUnits; i++) {
            Person p = take(free, false);
            p.newUserId = "crm-" + (500_000 + p.index);
            aliasPersons.add(p);
        }
        List<List<Person>> families = new ArrayList<>();
        for (int i = 0; i < Math.max(2, trapUnits); i++) {
            List<Person> family = new ArrayList<>();
            int size = 2 + (rnd.nextDouble() < 0.4 ? 1 : 0);
            for (int k = 0; k < size; k++) {
                family.add(take(free, false));
            }
            families.add(family);
        }
        List<Person[]> importPairs = new ArrayList<>();
        for (int i = 0; i < Math.max(2, trapUnits); i++) {
            Person owner = take(free, true);
            Person other = take(free, false);
            importPairs.add(new Person[] {owner, other});
        }
        for (Person p : identified) {
            p.shopper = rnd.nextDouble() < 0.35;
            p.caller = rnd.nextDouble() < 0.2;
        }

        for (Person p : persons) {
            switch (p.kind) {
                case IDENTIFIED -> identified(p);
                case LEAD -> lead(p);
                case ANONYMOUS -> anonymous(p);
            }
        }
        for (int i = 0; i < families.size(); i++) {
            family(families.get(i), i == 0);
        }
        for (int i = 0; i < importPairs.size(); i++) {
            badImport(importPairs.get(i)[0], importPairs.get(i)[1], i == 0);
        }
        storeVisits(identified);
        calls(identified);
        lateAlias();
        randomLateness();
        uniqueTimes();
        collideMessageIds();
    }

    // ---------------------------------------------------------------- persons

    private void createPersons() {
        if (count < Population.MIN_PERSONS) {
            throw new IllegalArgumentException(
                    "persons must be at least " + Population.MIN_PERSONS + " (room for every trap), was " + count);
        }
        for (int i = 0; i < count; i++) {
            int slot = i % 25;
            Person.Kind kind = slot < 3 ? Person.Kind.ANONYMOUS : slot < 5 ? Person.Kind.LEAD : Person.Kind.IDENTIFIED;
            String first = FIRST_NAMES[rnd.nextInt(FIRST_NAMES.length)];
            String last = LAST_NAMES[rnd.nextInt(LAST_NAMES.length)];
            long personStart = start + (long) (rnd.nextDouble() * 14 * DAY);
            Person p = new Person(i, kind, first, last, personStart);
            switch (kind) {
                case IDENTIFIED -> {
                    p.userId = "u-" + (10_000 + i);
                    if (rnd.nextDouble() < 0.92) {
                        giveEmail(p);
                    }
                    if (p.email == null || rnd.nextDouble() < 0.6) {
                        givePhone(p);
                    }
                    boolean webFirst = rnd.nextDouble() < 0.7;
                    p.devices.add(ownDevice(webFirst, true));
                    if (rnd.nextDouble() < 0.6) {
                        p.devices.add(ownDevice(!webFirst, true));
                    }
                    if (rnd.nextDouble() < 0.2) {
                        p.devices.add(ownDevice(true, true));
                    }
                    if (rnd.nextDouble() < 0.12) {
                        // a tablet the person never logs in on: a customer of its own
                        p.devices.add(ownDevice(false, false));
                    }
                }
                case LEAD -> {
                    giveEmail(p);
                    if (rnd.nextDouble() < 0.3) {
                        givePhone(p);
                    }
                    p.devices.add(ownDevice(true, false));
                }
                case ANONYMOUS -> {
                    p.devices.add(ownDevice(rnd.nextDouble() < 0.6, false));
                    if (rnd.nextDouble() < 0.4) {
                        p.devices.add(ownDevice(rnd.nextDouble() < 0.5, false));
                    }
                }
            }
            persons.add(p);
        }
    }

    private Person take(Deque<Person> free, boolean needsEmail) {
        for (Person p : free) {
            if (!needsEmail || p.email != null) {
                free.remove(p);
                p.inTrap = true;
                return p;
            }
        }
        throw new IllegalArgumentException("not enough identified persons for every trap; use more persons");
    }

    private void giveEmail(Person p) {
        String domain = DOMAINS[rnd.nextInt(DOMAINS.length)];
        String local = p.firstName + "." + p.lastName + p.index;
        p.email = (local + "@" + domain).toLowerCase(Locale.ROOT);
    }

    private void givePhone(Person p) {
        while (true) {
            boolean italian = rnd.nextDouble() < 0.7;
            String prefix = italian
                    ? IT_PREFIXES[rnd.nextInt(IT_PREFIXES.length)]
                    : DE_PREFIXES[rnd.nextInt(DE_PREFIXES.length)];
            String digits = digits(italian ? 7 : 8);
            String country = italian ? "39" : "49";
            String e164 = "+" + country + prefix + digits;
            if (phones.add(e164)) {
                p.phone = e164;
                p.locale = italian ? "it-IT" : "de-DE";
                p.timezone = italian ? "Europe/Rome" : "Europe/Berlin";
                return;
            }
        }
    }

    private Device ownDevice(boolean web, boolean willLink) {
        Source source = web ? Source.WEB : (rnd.nextBoolean() ? Source.IOS : Source.ANDROID);
        return new Device(uuid(), web ? Device.Use.WEB : Device.Use.MOBILE, source, null, willLink);
    }

    // ---------------------------------------------------------------- timelines

    private void identified(Person p) {
        long t = p.start;
        Device first = p.devices.get(0);
        first.used = true;
        int before = 1 + rnd.nextInt(3);
        for (int i = 0; i < before; i++) {
            browse(p, first, t, false);
            t += between(20 * SECOND, 4 * MINUTE);
        }
        p.anchor = identify(p, first, t, true);
        t += between(5 * SECOND, 2 * MINUTE);
        t = loggedInSession(p, first, t, 1 + rnd.nextInt(3), false);
        if (p.newUserId != null) {
            p.aliasAt = t + between(DAY, 4 * DAY);
        }
        Deque<Device> unused = new ArrayDeque<>(p.devices.subList(1, p.devices.size()));
        int sessions = Math.max(3 + rnd.nextInt(5), unused.size() + 1);
        for (int s = 0; s < sessions; s++) {
            t += between(2 * HOUR, 3 * DAY);
            Device d = unused.isEmpty() ? p.devices.get(rnd.nextInt(p.devices.size())) : unused.poll();
            if (!d.used) {
                d.used = true;
                int anonymous = 1 + rnd.nextInt(2);
                for (int i = 0; i < anonymous; i++) {
                    browse(p, d, t, false);
                    t += between(10 * SECOND, 3 * MINUTE);
                }
                if (d.willLink) {
                    identify(p, d, t, false);
                    t += between(5 * SECOND, MINUTE);
                }
            }
            if (d.willLink) {
                t = loggedInSession(p, d, t, 2 + rnd.nextInt(4), rnd.nextDouble() < 0.3);
            } else {
                for (int i = 0; i < 1 + rnd.nextInt(3); i++) {
                    browse(p, d, t, false);
                    t += between(10 * SECOND, 3 * MINUTE);
                }
            }
            if (p.email != null && rnd.nextDouble() < 0.4) {
                emailOpened(p, t + between(HOUR, 20 * HOUR));
            }
        }
        if (p.newUserId != null) {
            alias(p);
            long after = Math.max(t, p.aliasAt) + between(HOUR, DAY);
            loggedInSession(p, first, after, 2 + rnd.nextInt(3), true);
        }
    }

    private void lead(Person p) {
        Device d = p.devices.get(0);
        d.used = true;
        long t = p.start;
        for (int i = 0; i < 2 + rnd.nextInt(3); i++) {
            browse(p, d, t, false);
            t += between(20 * SECOND, 5 * MINUTE);
        }
        Draft signUp = sdk(EventType.TRACK, p, d, t, false);
        signUp.event = "Newsletter Subscribed";
        signUp.properties = JSON.objectNode().put("list", "weekly");
        ObjectNode traits = JSON.objectNode().put("email", emailSpelling(p));
        signUp.carried.add("email:" + p.email);
        if (p.phone != null) {
            traits.put("phone", phoneSpelling(p));
            signUp.carried.add("phone:" + p.phone);
        }
        signUp.contextTraits = traits;
        t += between(2 * HOUR, 2 * DAY);
        for (int i = 0; i < rnd.nextInt(3); i++) {
            browse(p, d, t, false);
            t += between(20 * SECOND, 5 * MINUTE);
        }
    }

    private void anonymous(Person p) {
        long t = p.start;
        for (Device d : p.devices) {
            d.used = true;
            for (int s = 0; s < 1 + rnd.nextInt(2); s++) {
                for (int i = 0; i < 2 + rnd.nextInt(3); i++) {
                    browse(p, d, t, false);
                    t += between(10 * SECOND, 4 * MINUTE);
                }
                t += between(3 * HOUR, 4 * DAY);
            }
        }
    }

    private long loggedInSession(Person p, Device d, long t, int events, boolean withOrder) {
        for (int i = 0; i < events; i++) {
            browse(p, d, t, true);
            t += between(10 * SECOND, 4 * MINUTE);
        }
        if (withOrder) {
            Draft added = sdk(EventType.TRACK, p, d, t, true);
            added.event = "Product Added";
            added.properties = product().put("quantity", 1 + rnd.nextInt(3));
            t += between(30 * SECOND, 5 * MINUTE);
            order(p, d, t);
            t += between(10 * SECOND, MINUTE);
        }
        return t;
    }

    // ---------------------------------------------------------------- traps

    /** Several persons log in on one home computer; the first link (by order key) wins it. */
    private void family(List<Person> members, boolean winnerArrivesLast) {
        Device computer = new Device(uuid(), Device.Use.SHARED, Source.WEB, DeviceKind.FAMILY_COMPUTER, false);
        sharedDevices.add(computer);
        long t = 0;
        for (Person m : members) {
            t = Math.max(t, m.anchor.ts);
        }
        t += between(DAY, 3 * DAY);
        List<List<Draft>> links = new ArrayList<>();
        for (Person m : members) {
            List<Draft> own = new ArrayList<>();
            Draft visit = browse(m, computer, t - between(MINUTE, 5 * MINUTE), false);
            visit.trap = true;
            Draft login = identify(m, computer, t, false);
            Draft afterLogin = browse(m, computer, t + between(30 * SECOND, 3 * MINUTE), true);
            own.add(login);
            own.add(afterLogin);
            for (Draft d : own) {
                d.trap = true;
            }
            links.add(own);
            t += between(HOUR, 4 * HOUR);
        }
        if (winnerArrivesLast) {
            long lastLoser = 0;
            for (List<Draft> own : links.subList(1, links.size())) {
                for (Draft d : own) {
                    lastLoser = Math.max(lastLoser, d.receivedAt());
                }
            }
            for (Draft d : links.get(0)) {
                d.delay = lastLoser - d.ts + between(HOUR, 12 * HOUR);
                d.forcedDelay = true;
            }
            lateWinnerDevice = computer;
        }
    }

    /** A CRM import puts the owner's email on another person's userId, after the owner linked it. */
    private void badImport(Person owner, Person other, boolean beforeOwnerLinkInLog) {
        long ts;
        if (beforeOwnerLinkInLog) {
            ts = owner.anchor.ts + between(10 * MINUTE, 50 * MINUTE);
            owner.anchor.delay = ts - owner.anchor.ts + between(HOUR, 6 * HOUR);
            owner.anchor.forcedDelay = true;
            owner.anchor.trap = true;
        } else {
            ts = Math.max(owner.anchor.ts, other.anchor.ts) + between(2 * HOUR, 2 * DAY);
        }
        Draft d = draft(EventType.IDENTIFY, Source.CRM_IMPORT, other, ts);
        d.trap = true;
        d.userId = other.userIdAt(ts);
        d.traits = JSON.objectNode()
                .put("email", emailSpelling(owner))
                .put("firstName", other.firstName)
                .put("lastName", other.lastName)
                .put("crmSegment", "gold");
        d.library = LibraryContext.newBuilder()
                .setName("crm-sync")
                .setVersion("2.4.1")
                .build();
        d.carried.add("userId:" + d.userId);
        d.carried.add("email:" + owner.email);
        imports.add(new ImportTrap(owner, other, d, beforeOwnerLinkInLog));
    }

    /** A bad import: {@code draft} puts the email of {@code owner} on the userId of {@code other}. */
    record ImportTrap(Person owner, Person other, Draft draft, boolean meantToArriveFirst) {}

    /** The first alias arrives after events that already use the new userId. */
    private void lateAlias() {
        if (aliasPersons.isEmpty()) {
            return;
        }
        Person p = aliasPersons.get(0);
        Draft alias = null;
        Draft firstNew = null;
        for (Draft d : drafts) {
            if (d.actor == p && d.type == EventType.ALIAS) {
                alias = d;
            } else if (p.newUserId.equals(d.userId) && (firstNew == null || d.receivedAt() < firstNew.receivedAt())) {
                firstNew = d;
            }
        }
        if (alias == null || firstNew == null) {
            throw new IllegalStateException("alias person " + p.describe() + " has no alias or no event after it");
        }
        firstNew.trap = true;
        alias.delay = firstNew.receivedAt() - alias.ts + between(HOUR, 12 * HOUR);
        alias.forcedDelay = true;
        alias.trap = true;
        lateAlias = alias;
    }

    // ---------------------------------------------------------------- stores and call center

    private void storeVisits(List<Person> identified) {
        List<Person> shoppers = new ArrayList<>();
        for (Person p : identified) {
            if (p.shopper) {
                shoppers.add(p);
            }
        }
        int stores = Math.max(2, count / 60);
        int tills = Math.max(4, shoppers.size() * 2 / 3);
        List<Device> terminals = new ArrayList<>();
        for (int i = 0; i < tills; i++) {
            Source store = Source.store(1 + i % stores);
            terminals.add(new Device(
                    store.id() + "-till-" + (1 + i / stores),
                    Device.Use.SHARED,
                    store,
                    DeviceKind.STORE_TERMINAL,
                    false));
        }
        for (Person p : shoppers) {
            int visits = 1 + (rnd.nextDouble() < 0.35 ? 1 : 0);
            for (int v = 0; v < visits; v++) {
                long ts = p.anchor.ts + between(6 * HOUR, 20 * DAY);
                Device till = terminals.get(rnd.nextInt(terminals.size()));
                Draft d = contact(p, till, ts, "Order Completed", 0.3);
                double c = rnd.nextDouble();
                d.contextChannel = c < 0.4 ? "pos" : c < 0.5 ? "kiosk" : null;
                d.locale = p.locale;
                d.timezone = p.timezone;
                d.library = LibraryContext.newBuilder()
                        .setName("till-bridge")
                        .setVersion("1.9.0")
                        .build();
                ObjectNode props = JSON.objectNode().put("order_id", "r-" + Long.toString(seq, 36) + "-" + v);
                props.put("store", till.source.id());
                amount(d, props, rnd.nextDouble() < 0.7 ? "EUR" : rnd.nextBoolean() ? "CHF" : null, false);
                d.properties = props;
            }
        }
        keepUsed(terminals);
    }

    private void calls(List<Person> identified) {
        List<Person> callers = new ArrayList<>();
        for (Person p : identified) {
            if (p.caller) {
                callers.add(p);
            }
        }
        List<Device> desks = new ArrayList<>();
        for (int i = 0; i < Math.max(2, callers.size() / 4); i++) {
            desks.add(new Device(
                    String.format("cc-desk-%02d", i + 1),
                    Device.Use.SHARED,
                    Source.CALL_CENTER,
                    DeviceKind.CALL_CENTER_DESK,
                    false));
        }
        for (Person p : callers) {
            for (int c = 0; c < 1 + rnd.nextInt(2); c++) {
                long ts = p.anchor.ts + between(DAY, 25 * DAY);
                Device desk = desks.get(rnd.nextInt(desks.size()));
                Draft d = contact(p, desk, ts, "Call Completed", 0.2);
                d.contextChannel = rnd.nextBoolean() ? "call_center" : null;
                d.properties = JSON.objectNode()
                        .put("reason", CALL_REASONS[rnd.nextInt(CALL_REASONS.length)])
                        .put("duration_s", 60 + rnd.nextInt(900));
            }
        }
        keepUsed(desks);
    }

    /**
     * A track event of a store till or an agent desk ({@code device}) that knows the person only by their
     * email or phone in {@code context.traits}: it links the person to the shared device.
     */
    private Draft contact(Person p, Device device, long ts, String event, double both) {
        Draft d = draft(EventType.TRACK, device.source, p, ts);
        d.anonymousId = device.anonymousId;
        d.carried.add(device.key());
        d.event = event;
        contactTraits(d, p, both);
        claim(d, device);
        return d;
    }

    private void keepUsed(List<Device> devices) {
        for (Device device : devices) {
            if (!device.claims.isEmpty()) {
                sharedDevices.add(device);
            }
        }
    }

    /** Puts the person's email or phone (or both) into {@code context.traits}, in one of their spellings. */
    private void contactTraits(Draft d, Person p, double both) {
        boolean email = p.email != null;
        boolean phone = p.phone != null;
        if (email && phone && rnd.nextDouble() >= both) {
            if (rnd.nextBoolean()) {
                email = false;
            } else {
                phone = false;
            }
        }
        ObjectNode traits = JSON.objectNode();
        if (email) {
            traits.put("email", emailSpelling(p));
            d.carried.add("email:" + p.email);
        }
        if (phone) {
            traits.put("phone", phoneSpelling(p));
            d.carried.add("phone:" + p.phone);
        }
        d.contextTraits = traits;
        d.claimPriority = email ? PRIORITY_EMAIL : PRIORITY_PHONE;
    }

    private static void claim(Draft d, Device device) {
        d.claimed = device;
        device.claims.add(d);
    }

    // ---------------------------------------------------------------- events

    private Draft browse(Person p, Device d, long ts, boolean loggedIn) {
        double r = rnd.nextDouble();
        if (d.mobile()) {
            if (r < 0.45) {
                Draft e = sdk(EventType.SCREEN, p, d, ts, loggedIn);
                e.name = SCREENS[rnd.nextInt(SCREENS.length)];
                return e;
            }
            Draft e = sdk(EventType.TRACK, p, d, ts, loggedIn);
            if (r < 0.6) {
                e.event = "Application Opened";
                e.properties = JSON.objectNode().put("from_background", rnd.nextBoolean());
            } else {
                productEvent(e, r >= 0.9);
            }
            return e;
        }
        if (r < 0.55) {
            Draft e = sdk(EventType.PAGE, p, d, ts, loggedIn);
            e.name = PAGES[rnd.nextInt(PAGES.length)];
            String path = "/" + e.name.toLowerCase(Locale.ROOT);
            e.page = PageContext.newBuilder()
                    .setPath(path)
                    .setUrl("https://shop.example" + path)
                    .setTitle(e.name + " | Shop")
                    .build();
            return e;
        }
        Draft e = sdk(EventType.TRACK, p, d, ts, loggedIn);
        productEvent(e, r >= 0.9);
        return e;
    }

    /** {@code Product Viewed}, or {@code Product Added} with a quantity of 1. */
    private void productEvent(Draft e, boolean added) {
        e.event = added ? "Product Added" : "Product Viewed";
        e.properties = added ? product().put("quantity", 1) : product();
    }

    private Draft identify(Person p, Device d, long ts, boolean anchor) {
        Draft e = sdk(EventType.IDENTIFY, p, d, ts, true);
        ObjectNode traits = JSON.objectNode();
        if (anchor) {
            if (p.email != null) {
                traits.put("email", emailSpelling(p));
                e.carried.add("email:" + p.email);
            }
            if (p.phone != null) {
                traits.put("phone", phoneSpelling(p));
                e.carried.add("phone:" + p.phone);
            }
            traits.put("firstName", p.firstName).put("lastName", p.lastName);
            traits.putObject("consent").put("email", rnd.nextDouble() < 0.7).put("sms", rnd.nextDouble() < 0.4);
        } else if (p.email != null && rnd.nextBoolean()) {
            traits.put("email", emailSpelling(p));
            e.carried.add("email:" + p.email);
        }
        e.traits = traits.isEmpty() ? null : traits;
        return e;
    }

    private void order(Person p, Device d, long ts) {
        Draft e;
        if (rnd.nextDouble() < 0.25) {
            // tracked by the shop's backend: no device, the channel claimed through context.channel
            e = draft(EventType.TRACK, Source.BACKEND, p, ts);
            e.userId = p.userIdAt(ts);
            e.carried.add("userId:" + e.userId);
            e.contextChannel = d.source.channel();
            e.library = LibraryContext.newBuilder()
                    .setName("analytics-java")
                    .setVersion("3.5.1")
                    .build();
        } else {
            e = sdk(EventType.TRACK, p, d, ts, true);
        }
        e.event = "Order Completed";
        ObjectNode props = JSON.objectNode().put("order_id", "o-" + Long.toString(seq, 36));
        ArrayNode products = props.putArray("products");
        products.add(product().put("quantity", 1 + rnd.nextInt(2)));
        double c = rnd.nextDouble();
        String currency = c < 0.45 ? "EUR" : c < 0.65 ? "USD" : c < 0.8 ? "GBP" : c < 0.9 ? "CHF" : null;
        amount(e, props, currency, true);
        e.properties = props;
    }

    /**
     * Adds an order amount to {@code props} in one of the shapes the rules accept: {@code revenue} or
     * {@code total}, as a JSON number or a numeric string, with or without a currency.
     */
    private void amount(Draft e, ObjectNode props, String currency, boolean mayHaveRevenue) {
        long cents = 500 + rnd.nextInt(30_000);
        boolean whole = rnd.nextDouble() < 0.15;
        BigDecimal amount = whole ? BigDecimal.valueOf(cents / 100) : BigDecimal.valueOf(cents, 2);
        boolean asText = rnd.nextDouble() < 0.35;
        String field = mayHaveRevenue && rnd.nextDouble() < 0.7 ? "revenue" : "total";
        if (asText) {
            props.put(field, amount.toPlainString());
        } else if (whole) {
            props.put(field, amount.longValueExact());
        } else {
            props.put(field, amount);
        }
        if (field.equals("revenue") && rnd.nextDouble() < 0.2) {
            // a total with tax next to the revenue: revenue is what counts
            props.put("total", amount.multiply(new BigDecimal("1.22")).setScale(2, java.math.RoundingMode.HALF_UP));
        }
        if (currency != null) {
            props.put("currency", currency);
        }
        e.amount = amount;
        e.currency = currency == null ? defaultCurrency : currency;
    }

    private void emailOpened(Person p, long ts) {
        Draft open = esp(p, ts, "Email Opened");
        String campaign = "cmp-" + (100 + rnd.nextInt(40));
        open.properties = JSON.objectNode().put("campaign_id", campaign).put("subject", "Our picks for you");
        if (rnd.nextDouble() < 0.4) {
            Draft click = esp(p, ts + between(30 * SECOND, 2 * HOUR), "Email Link Clicked");
            click.properties = JSON.objectNode().put("campaign_id", campaign).put("url", "https://shop.example/sale");
        }
    }

    private Draft esp(Person p, long ts, String name) {
        Draft e = draft(EventType.TRACK, Source.ESP, p, ts);
        e.event = name;
        e.userId = p.userIdAt(ts);
        e.carried.add("userId:" + e.userId);
        e.contextTraits = JSON.objectNode().put("email", p.email);
        e.carried.add("email:" + p.email);
        e.contextChannel = rnd.nextBoolean() ? "email" : null;
        return e;
    }

    private void alias(Person p) {
        Draft e = draft(EventType.ALIAS, Source.BACKEND, p, p.aliasAt);
        e.userId = p.newUserId;
        e.previousId = p.userId;
        e.carried.add("userId:" + p.newUserId);
        e.carried.add("userId:" + p.userId);
        e.library = LibraryContext.newBuilder()
                .setName("analytics-java")
                .setVersion("3.5.1")
                .build();
    }

    /** An event from the person's device SDK; logged in when {@code loggedIn}. */
    private Draft sdk(EventType type, Person p, Device d, long ts, boolean loggedIn) {
        Draft e = draft(type, d.source, p, ts);
        e.anonymousId = d.anonymousId;
        e.carried.add(d.key());
        if (loggedIn) {
            e.userId = p.userIdAt(ts);
            e.carried.add("userId:" + e.userId);
            if (d.use == Device.Use.SHARED) {
                e.claimPriority = PRIORITY_ANONYMOUS_ID;
                claim(e, d);
            }
        }
        e.locale = p.locale;
        e.timezone = p.timezone;
        e.ip = "198.51.100." + (1 + p.index % 250);
        if (rnd.nextBoolean()) {
            e.contextChannel = d.source.channel();
        }
        if (d.mobile()) {
            e.app = AppContext.newBuilder()
                    .setName("Shop")
                    .setVersion("4." + rnd.nextInt(3) + ".0")
                    .setBuild("4" + rnd.nextInt(100))
                    .build();
            e.library = LibraryContext.newBuilder()
                    .setName(d.source == Source.IOS ? "analytics-ios" : "analytics-android")
                    .setVersion("4.1.0")
                    .build();
        } else {
            e.userAgent = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0";
            e.library = LibraryContext.newBuilder()
                    .setName("analytics.js")
                    .setVersion("5.2.0")
                    .build();
        }
        return e;
    }

    private Draft draft(EventType type, Source source, Person actor, long ts) {
        Draft d = new Draft(seq++, type, source, actor);
        d.messageId = source == Source.CRM_IMPORT ? "crm-" + uuid() : uuid();
        d.ts = ts;
        d.delay = between(15, 2_500);
        drafts.add(d);
        return d;
    }

    private ObjectNode product() {
        int id = 100 + rnd.nextInt(400);
        return JSON.objectNode()
                .put("product_id", "p-" + id)
                .put("price", BigDecimal.valueOf(500 + rnd.nextInt(20_000), 2))
                .put("currency", "EUR");
    }

    // ---------------------------------------------------------------- spellings

    /** One of the ways people type their email; every one normalizes (trim, lower-case) to {@code p.email}. */
    private String emailSpelling(Person p) {
        String spelling =
                switch (rnd.nextInt(4)) {
                    case 0 -> p.email;
                    case 1 -> capitalized(p);
                    case 2 -> "  " + p.email.toUpperCase(Locale.ROOT) + " ";
                    default -> " " + capitalized(p);
                };
        p.emailSpellings.add(spelling);
        return spelling;
    }

    private static String capitalized(Person p) {
        int at = p.email.indexOf('@');
        String domain = p.email.substring(at + 1);
        return p.firstName + "." + p.lastName + p.index + "@" + Character.toUpperCase(domain.charAt(0))
                + domain.substring(1);
    }

    /** One of the ways people type their phone; every one is the same E.164 number. */
    private String phoneSpelling(Person p) {
        String country = p.phone.substring(1, 3);
        String prefix = p.phone.substring(3, 6);
        String rest = p.phone.substring(6);
        String a = rest.substring(0, 3);
        String b = rest.substring(3);
        String spelling =
                switch (rnd.nextInt(6)) {
                    case 0 -> "+" + country + " " + prefix + " " + a + " " + b;
                    case 1 -> "00" + country + " " + prefix + " " + rest;
                    case 2 -> "+" + country + "-" + prefix + "-" + a + "-" + b;
                    case 3 -> "+" + country + " (" + prefix + ") " + a + "-" + b;
                    case 4 -> p.phone;
                    default -> "+" + country + " " + prefix + "." + a + "." + b;
                };
        p.phoneSpellings.add(spelling);
        return spelling;
    }

    // ---------------------------------------------------------------- times and ids

    /** About 4 % of the events reach the collector hours or days after they happened. */
    private void randomLateness() {
        for (Draft d : drafts) {
            if (!d.forcedDelay && !d.trap && rnd.nextDouble() < 0.04) {
                d.delay = between(2 * HOUR, 4 * DAY);
            }
        }
    }

    /**
     * Makes every event time unique (ms), so that the order key of every link is decided by time alone
     * and no tie-break between persons depends on how ids compare.
     */
    private void uniqueTimes() {
        List<Draft> byTime = new ArrayList<>(drafts);
        byTime.sort(Comparator.comparingLong((Draft d) -> d.ts).thenComparingLong(d -> d.seq));
        long previous = Long.MIN_VALUE;
        for (Draft d : byTime) {
            if (d.ts <= previous) {
                d.ts = previous + 1;
            }
            previous = d.ts;
        }
    }

    /** A few web and app events share a messageId: two sources, two messages, both count. */
    private void collideMessageIds() {
        List<Draft> web = new ArrayList<>();
        List<Draft> app = new ArrayList<>();
        for (Draft d : drafts) {
            if (!d.trap && !d.forcedDelay) {
                if (d.source == Source.WEB) {
                    web.add(d);
                } else if (d.source == Source.IOS || d.source == Source.ANDROID) {
                    app.add(d);
                }
            }
        }
        int pairs = Math.max(1, count / 100);
        Set<Draft> taken = new HashSet<>();
        while (crossSourceMessageIds.size() < pairs && taken.size() + 2 <= Math.min(web.size(), app.size())) {
            Draft a = web.get(rnd.nextInt(web.size()));
            Draft b = app.get(rnd.nextInt(app.size()));
            if (taken.contains(a) || taken.contains(b)) {
                continue;
            }
            taken.add(a);
            taken.add(b);
            b.messageId = a.messageId;
            crossSourceMessageIds.add(a.messageId);
        }
    }

    /** The log in arrival order with redelivered copies placed shortly after their original. */
    List<Entry> log() {
        List<Draft> arrival = new ArrayList<>(drafts);
        arrival.sort(Comparator.comparingLong(Draft::receivedAt).thenComparingLong(d -> d.seq));
        List<TouchpointEvent> built = new ArrayList<>();
        for (Draft d : arrival) {
            built.add(d.build());
        }
        int n = arrival.size();
        boolean[] redeliver = new boolean[n];
        for (int i = 0; i < n; i++) {
            redeliver[i] = rnd.nextDouble() < 0.03;
        }
        // make sure the copies that hurt most when counted twice are there
        forceRedelivery(arrival, redeliver, d -> "Order Completed".equals(d.event) && d.source == Source.WEB);
        forceRedelivery(arrival, redeliver, d -> d.type == EventType.IDENTIFY);
        forceRedelivery(
                arrival, redeliver, d -> d.claimed != null && d.claimed.sharedKind == DeviceKind.STORE_TERMINAL);
        forceRedelivery(arrival, redeliver, d -> d.type == EventType.ALIAS);
        forceRedelivery(arrival, redeliver, d -> d.delay >= LogRecord.LATE.toMillis());
        List<List<Integer>> copiesAfter = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            copiesAfter.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            if (redeliver[i]) {
                int copies = rnd.nextDouble() < 0.8 ? 1 : 2;
                for (int c = 0; c < copies; c++) {
                    copiesAfter.get(Math.min(n - 1, i + 1 + rnd.nextInt(40))).add(i);
                }
            }
        }
        List<Entry> log = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            log.add(new Entry(arrival.get(i), built.get(i), false));
            for (int original : copiesAfter.get(i)) {
                log.add(new Entry(arrival.get(original), built.get(original), true));
            }
        }
        return log;
    }

    private static void forceRedelivery(
            List<Draft> arrival, boolean[] redeliver, java.util.function.Predicate<Draft> what) {
        for (int i = 0; i < arrival.size(); i++) {
            if (what.test(arrival.get(i))) {
                redeliver[i] = true;
                return;
            }
        }
    }

    /** One log record with the draft it came from. */
    record Entry(Draft draft, TouchpointEvent event, boolean redelivery) {}

    private long between(long min, long max) {
        return min + (long) (rnd.nextDouble() * (max - min));
    }

    private String digits(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('0' + rnd.nextInt(10)));
        }
        return sb.toString();
    }

    private String uuid() {
        return new UUID(rnd.nextLong(), rnd.nextLong()).toString();
    }
}
