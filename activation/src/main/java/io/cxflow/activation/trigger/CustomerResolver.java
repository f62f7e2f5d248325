package io.cxflow.activation.trigger;

import io.cxflow.activation.profile.LatestProfile;
import io.cxflow.activation.profile.ProfileClient;
import io.cxflow.activation.profile.ProfileUnavailableException;
import io.cxflow.avro.TouchpointEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the customer an event belongs to through the analytics lookup API ({@code GET
 * /v1/profiles?userId=…}, then {@code ?anonymousId=…}). The bridge may read an event before analytics
 * has processed it, so a lookup that finds nothing is asked again with a growing pause (200 ms,
 * doubling, at most 5 s) until {@code timeout}. Thread-safe.
 */
public final class CustomerResolver {

    private static final Duration FIRST_PAUSE = Duration.ofMillis(200);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(5);

    /** How a resolution ended. */
    public enum Outcome {
        /** The customer's profile was found. */
        FOUND,
        /** Analytics answered, for the whole timeout, that it has no profile with the event's identifiers. */
        NOT_FOUND,
        /** Analytics could not answer (unreachable, not ready): the event must be tried again later. */
        UNAVAILABLE
    }

    /**
     * @param outcome how it ended
     * @param profile {@link Outcome#FOUND}: the customer's profile
     * @param reason otherwise: why, without personal data
     */
    public record Resolution(Outcome outcome, LatestProfile profile, String reason) {}

    private final ProfileClient client;
    private final Duration timeout;

    public CustomerResolver(ProfileClient client, Duration timeout) {
        this.client = Objects.requireNonNull(client, "client");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * Resolves {@code event}'s customer by its {@code userId}, else its {@code anonymousId}.
     *
     * @throws InterruptedException when the service is stopping
     */
    public Resolution resolve(TouchpointEvent event) throws InterruptedException {
        List<Map.Entry<String, String>> identifiers = new ArrayList<>();
        if (event.getUserId() != null && !event.getUserId().isBlank()) {
            identifiers.add(Map.entry("userId", event.getUserId()));
        }
        if (event.getAnonymousId() != null && !event.getAnonymousId().isBlank()) {
            identifiers.add(Map.entry("anonymousId", event.getAnonymousId()));
        }
        if (identifiers.isEmpty()) {
            return new Resolution(Outcome.NOT_FOUND, null, "the event has neither userId nor anonymousId");
        }
        String kinds =
                String.join("/", identifiers.stream().map(Map.Entry::getKey).toList());
        long deadline = System.nanoTime() + timeout.toNanos();
        Duration pause = FIRST_PAUSE;
        while (true) {
            String unavailable = null;
            for (Map.Entry<String, String> identifier : identifiers) {
                try {
                    Optional<LatestProfile> found = client.lookup(identifier.getKey(), identifier.getValue());
                    if (found.isPresent()) {
                        return new Resolution(Outcome.FOUND, found.get(), null);
                    }
                } catch (ProfileUnavailableException e) {
                    unavailable = e.getMessage();
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return unavailable != null
                        ? new Resolution(Outcome.UNAVAILABLE, null, unavailable)
                        : new Resolution(
                                Outcome.NOT_FOUND,
                                null,
                                "customer not resolved: analytics has no profile for the event's " + kinds + " after "
                                        + describe(timeout));
            }
            Thread.sleep(Math.max(1, Math.min(pause.toMillis(), left / 1_000_000)));
            pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
        }
    }

    private static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
