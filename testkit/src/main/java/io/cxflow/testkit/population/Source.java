package io.cxflow.testkit.population;

/** A source as the collector knows it: its id (written as {@code sourceId}) and its configured channel. */
record Source(String id, String channel) {

    static final Source WEB = new Source("web", "web");
    static final Source IOS = new Source("ios", "mobile");
    static final Source ANDROID = new Source("android", "mobile");
    static final Source ESP = new Source("esp", "email");
    static final Source CALL_CENTER = new Source("call-center", "call_center");
    static final Source BACKEND = new Source("backend", "server");
    static final Source CRM_IMPORT = new Source("crm-import", "server");

    /** The point-of-sale source of store {@code number}. */
    static Source store(int number) {
        return new Source(String.format("pos-store-%02d", number), "pos");
    }
}
