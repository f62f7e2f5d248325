package io.cxflow.activation.guard;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * At most {@code max} messages per customer within any {@code window}, on one channel or, for {@code
 * *}, across the counted channels together.
 *
 * @param channel the capped channel, or {@code *} for every counted channel together
 * @param max messages allowed within the window (at least 1)
 * @param window the sliding window
 */
public record FrequencyCap(String channel, int max, Duration window) {

    /** The channel value of a cap across channels. */
    public static final String ACROSS = "*";

    private static final Pattern SPEC = Pattern.compile("([a-z_*]+):(\\d+)/(\\d+)(ms|s|m|h|d)");

    public FrequencyCap {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(window, "window");
        if (max < 1) {
            throw new IllegalArgumentException("a cap allows at least 1 message");
        }
        if (window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("a cap's window must be positive");
        }
    }

    /**
     * Parses {@code <channel>:<max>/<amount><unit>}, e.g. {@code email:1/24h} or {@code *:3/7d}.
     *
     * @throws IllegalArgumentException when the text has another shape
     */
    public static FrequencyCap parse(String text) {
        Matcher m = SPEC.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "a cap must look like email:1/24h or *:3/7d (units ms, s, m, h, d), got '" + text + "'");
        }
        long amount = Long.parseLong(m.group(3));
        Duration window =
                switch (m.group(4)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
        return new FrequencyCap(m.group(1), Integer.parseInt(m.group(2)), window);
    }

    /** Whether a message on {@code messageChannel} counts towards this cap. */
    public boolean counts(String messageChannel, Set<String> countedChannels) {
        return ACROSS.equals(channel) ? countedChannels.contains(messageChannel) : channel.equals(messageChannel);
    }

    /** The longest window of {@code caps}, or zero. */
    public static Duration longest(List<FrequencyCap> caps) {
        return caps.stream().map(FrequencyCap::window).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    @Override
    public String toString() {
        return channel + ":" + max + "/" + window;
    }
}
