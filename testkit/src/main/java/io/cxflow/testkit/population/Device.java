package io.cxflow.testkit.population;

import io.cxflow.testkit.population.Traps.DeviceKind;
import java.util.ArrayList;
import java.util.List;

/** One anonymousId and what the generator decided about it. */
final class Device {

    /** How a device is used; the shared kinds are claimed by whoever links to them first. */
    enum Use {
        /** a browser of one person */
        WEB,
        /** an app install of one person */
        MOBILE,
        /** a device several persons use and log in on */
        SHARED
    }

    final String anonymousId;
    final Use use;
    final Source source;
    /** For {@link Use#SHARED}: the kind reported in {@link Traps}. */
    final DeviceKind sharedKind;
    /** For an own device: whether its owner logs in on it (else it stays a customer of its own). */
    final boolean willLink;
    /** Events that link a person's group to this shared device (the claims). */
    final List<Draft> claims = new ArrayList<>();

    boolean used;

    Device(String anonymousId, Use use, Source source, DeviceKind sharedKind, boolean willLink) {
        this.anonymousId = anonymousId;
        this.use = use;
        this.source = source;
        this.sharedKind = sharedKind;
        this.willLink = willLink;
    }

    String key() {
        return "anonymousId:" + anonymousId;
    }

    boolean mobile() {
        return source.channel().equals("mobile");
    }
}
