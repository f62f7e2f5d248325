package io.cxflow.collector.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.avro.Context;
import io.cxflow.platform.json.Json;
import org.junit.jupiter.api.Test;

class ContextMapperTest {

    private static final ObjectMapper JSON = Json.mapper();

    @Test
    void shouldTypeTheWellKnownFieldsAndKeepEveryOtherKeyInExtra() throws Exception {
        ObjectNode context = (ObjectNode) JSON.readTree("""
                {"userAgent": "Mozilla/5.0", "locale": "it-IT", "timezone": "Europe/Rome", "groupId": "g-1",
                 "page": {"path": "/cart", "url": "https://shop.example/cart", "hash": "#top"},
                 "campaign": {"name": "bf", "source": "newsletter", "medium": "email"},
                 "device": {"id": "d-1", "type": "ios", "adTrackingEnabled": true},
                 "app": {"name": "Shop", "version": "2.1", "build": 210},
                 "library": {"name": "analytics.js", "version": "5.2.0"},
                 "location": {"city": "Milan", "latitude": 45.46, "longitude": "9.19"},
                 "traits": {"email": "ann@example.com"},
                 "os": {"name": "iOS", "version": "18"},
                 "screen": {"width": 390},
                 "active": true,
                 "referrer": null}
                """);

        Context c = ContextMapper.map(context, "192.0.2.1");

        assertThat(c.getIp()).isEqualTo("192.0.2.1");
        assertThat(c.getUserAgent()).isEqualTo("Mozilla/5.0");
        assertThat(c.getLocale()).isEqualTo("it-IT");
        assertThat(c.getTimezone()).isEqualTo("Europe/Rome");
        assertThat(c.getGroupId()).isEqualTo("g-1");
        assertThat(c.getPage().getPath()).isEqualTo("/cart");
        assertThat(c.getPage().getUrl()).isEqualTo("https://shop.example/cart");
        assertThat(c.getCampaign().getSource()).isEqualTo("newsletter");
        assertThat(c.getDevice().getId()).isEqualTo("d-1");
        assertThat(c.getApp().getVersion()).isEqualTo("2.1");
        assertThat(c.getApp().getBuild()).isNull();
        assertThat(c.getLibrary().getName()).isEqualTo("analytics.js");
        assertThat(c.getLocation().getCity()).isEqualTo("Milan");
        assertThat(c.getLocation().getLatitude()).isEqualTo(45.46);
        assertThat(c.getLocation().getLongitude()).isNull();
        assertThat(JSON.readTree(c.getTraits())).isEqualTo(JSON.readTree("{\"email\": \"ann@example.com\"}"));
        assertThat(JSON.readTree(c.getExtra())).isEqualTo(JSON.readTree("""
                        {"page": {"hash": "#top"}, "device": {"adTrackingEnabled": true}, "app": {"build": 210},
                         "location": {"longitude": "9.19"}, "os": {"name": "iOS", "version": "18"},
                         "screen": {"width": 390}, "active": true}
                        """));
    }

    @Test
    void shouldKeepAWellKnownKeyOfTheWrongShapeInExtra() throws Exception {
        ObjectNode context = (ObjectNode) JSON.readTree("{\"page\": \"home\", \"locale\": 5, \"traits\": [1]}");

        Context c = ContextMapper.map(context, "192.0.2.1");

        assertThat(c.getPage()).isNull();
        assertThat(c.getLocale()).isNull();
        assertThat(c.getTraits()).isNull();
        assertThat(JSON.readTree(c.getExtra()))
                .isEqualTo(JSON.readTree("{\"page\": \"home\", \"locale\": 5, \"traits\": [1]}"));
    }

    @Test
    void shouldSetTheServerIpWhenThereIsNoContext() {
        Context c = ContextMapper.map(null, "192.0.2.1");

        assertThat(c.getIp()).isEqualTo("192.0.2.1");
        assertThat(c.getExtra()).isNull();
    }
}
