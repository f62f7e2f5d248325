package io.cxflow.testkit.population;

import java.util.ArrayList;
import java.util.List;

/** One generated person and the identifiers the generator gave them. */
final class Person {

    enum Kind {
        /** logs in with a userId, has an email and/or a phone */
        IDENTIFIED,
        /** never logs in, but leaves an email on one device (a newsletter sign-up) */
        LEAD,
        /** only browses; every device stays its own customer */
        ANONYMOUS
    }

    final int index;
    final Kind kind;
    final String firstName;
    final String lastName;
    final long start;
    final List<Device> devices = new ArrayList<>();
    final List<String> emailSpellings = new ArrayList<>();
    final List<String> phoneSpellings = new ArrayList<>();

    String userId;
    /** After an alias: the new userId (events after {@link #aliasAt} use it). */
    String newUserId;

    long aliasAt = Long.MAX_VALUE;
    /** Normalized (trimmed, lower-cased); null when the person has none. */
    String email;
    /** E.164; null when the person has none. */
    String phone;

    /** What the person's devices send as {@code context.locale} / {@code context.timezone}. */
    String locale = "en-GB";

    String timezone = "Europe/London";

    /** The first login: the identify that links userId, email, phone and the first device. */
    Draft anchor;

    boolean shopper;
    boolean caller;
    /** Whether the person takes part in a trap (kept out of other traps). */
    boolean inTrap;

    Person(int index, Kind kind, String firstName, String lastName, long start) {
        this.index = index;
        this.kind = kind;
        this.firstName = firstName;
        this.lastName = lastName;
        this.start = start;
    }

    /** The userId the person's touchpoints send at event time {@code ts}. */
    String userIdAt(long ts) {
        return newUserId != null && ts > aliasAt ? newUserId : userId;
    }

    String describe() {
        return "person " + index + " (" + kind.name().toLowerCase(java.util.Locale.ROOT) + ", " + firstName + " "
                + lastName + (userId == null ? "" : ", userId " + userId) + ")";
    }
}
