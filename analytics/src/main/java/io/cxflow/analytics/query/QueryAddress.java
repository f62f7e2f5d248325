package io.cxflow.analytics.query;

import java.util.Locale;
import java.util.Objects;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The address an instance advertises to the others ({@code application.server}): a host name or IP
 * address and the bound port of its query API.
 */
public final class QueryAddress {

    private QueryAddress() {}

    /** {@code host:port}, with an IPv6 literal in brackets: the form of {@code application.server}. */
    public static String of(HostInfo host) {
        Objects.requireNonNull(host, "host");
        String name = host.host();
        return (name.contains(":") && !name.startsWith("[") ? "[" + name + "]" : name) + ":" + host.port();
    }

    /** This instance as Kafka Streams parses its {@code application.server}: brackets of IPv6 dropped. */
    public static HostInfo hostInfo(String advertisedHost, int port) {
        Objects.requireNonNull(advertisedHost, "advertisedHost");
        String bare = advertisedHost.startsWith("[") && advertisedHost.endsWith("]")
                ? advertisedHost.substring(1, advertisedHost.length() - 1)
                : advertisedHost;
        return new HostInfo(bare, port);
    }

    /** {@code http://host:port}. */
    static String baseUrl(HostInfo host) {
        return "http://" + of(host);
    }

    /**
     * Whether another instance can call {@code host}: a host name or IP address, without scheme, port,
     * path or spaces, and not a wildcard bind address ({@code 0.0.0.0}, {@code ::}).
     */
    public static boolean isAdvertisable(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("0.0.0.0") || h.equals("::") || h.equals("[::]") || h.equals("::0")) {
            return false;
        }
        if (h.startsWith("[") != h.endsWith("]")) {
            return false;
        }
        String bare = h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
        if (bare.contains(":")) {
            return bare.chars().filter(c -> c == ':').count() >= 2 && bare.matches("[0-9a-f:.]+(%[0-9a-z._-]+)?");
        }
        return !h.startsWith("[") && bare.matches("[a-z0-9]([a-z0-9._-]*[a-z0-9])?");
    }
}
