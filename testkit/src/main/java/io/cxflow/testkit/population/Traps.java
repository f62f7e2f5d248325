package io.cxflow.testkit.population;

import java.util.List;

/**
 * The hazards planted in a population, so that tests can check they are really there and look at them
 * one by one.
 *
 * @param sharedDevices every device that two or more persons linked themselves to (family computers,
 *     store terminals, call-center desks)
 * @param badImports identifies that tie one person's email to another person's userId
 * @param aliases userId changes
 * @param redeliveries number of repeated copies in the log
 * @param lateEvents number of distinct events received at least {@link LogRecord#LATE} after they happened
 * @param crossSourceMessageIds messageIds used by two different sources (two messages, both count)
 */
public record Traps(
        List<SharedDevice> sharedDevices,
        List<BadImport> badImports,
        List<Alias> aliases,
        int redeliveries,
        int lateEvents,
        List<String> crossSourceMessageIds) {

    public Traps {
        sharedDevices = List.copyOf(sharedDevices);
        badImports = List.copyOf(badImports);
        aliases = List.copyOf(aliases);
        crossSourceMessageIds = List.copyOf(crossSourceMessageIds);
    }

    /** What a shared device is. */
    public enum DeviceKind {
        /** a home computer on which several persons log in */
        FAMILY_COMPUTER,
        /** a store till: purchases carry the shopper's email or phone in {@code context.traits} */
        STORE_TERMINAL,
        /** an agent's desk: calls carry the caller's phone or email in {@code context.traits} */
        CALL_CENTER_DESK
    }

    /**
     * A device that several persons linked themselves to. By the rules it joins only the person whose link
     * has the smallest order key; the others keep their own customers and every event routed by the
     * device counts for the winner.
     *
     * @param anonymousId the device
     * @param kind what it is
     * @param winnerUserId the userId of the person it joins
     * @param loserUserIds the userIds of the other persons who linked to it
     * @param winnerLinkArrivesLast whether every link of the winner reaches the log after the losers' links
     *     (its link has the smallest order key but arrives last)
     */
    public record SharedDevice(
            String anonymousId,
            DeviceKind kind,
            String winnerUserId,
            List<String> loserUserIds,
            boolean winnerLinkArrivesLast) {

        public SharedDevice {
            loserUserIds = List.copyOf(loserUserIds);
        }
    }

    /**
     * An identify from a CRM import that puts the email of the owner on another person's userId, after the
     * owner's own link (by order key): refused, the owner keeps the email.
     *
     * @param email the normalized email
     * @param ownerUserId the userId of the person who owns it
     * @param importingUserId the userId the import put it on
     * @param messageId the import's messageId
     * @param arrivesBeforeOwnerLink whether the import reaches the log before the owner's linking identify
     */
    public record BadImport(
            String email,
            String ownerUserId,
            String importingUserId,
            String messageId,
            boolean arrivesBeforeOwnerLink) {}

    /**
     * A person who changed userId: {@code alias(userId = userId, previousId = previousId)}; one customer.
     *
     * @param arrivesLate whether the alias reaches the log after events that already use the new userId
     */
    public record Alias(String previousId, String userId, boolean arrivesLate) {}
}
