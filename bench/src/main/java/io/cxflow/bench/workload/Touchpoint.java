package io.cxflow.bench.workload;

/**
 * A touchpoint that sends events, with the documented development source of the local default whose write key
 * it uses (write key == source id).
 */
public enum Touchpoint {
    WEB("dev-web", "web"),
    MOBILE("dev-mobile", "mobile"),
    POS("dev-pos", "pos");

    private final String sourceId;
    private final String channel;

    Touchpoint(String sourceId, String channel) {
        this.sourceId = sourceId;
        this.channel = channel;
    }

    /** The source id, which is also its development write key. */
    public String sourceId() {
        return sourceId;
    }

    public String channel() {
        return channel;
    }
}
