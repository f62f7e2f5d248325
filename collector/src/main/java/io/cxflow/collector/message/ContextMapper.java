package io.cxflow.collector.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.avro.AppContext;
import io.cxflow.avro.CampaignContext;
import io.cxflow.avro.Context;
import io.cxflow.avro.DeviceContext;
import io.cxflow.avro.LibraryContext;
import io.cxflow.avro.LocationContext;
import io.cxflow.avro.PageContext;
import io.cxflow.schemas.json.JsonText;
import java.util.Map;
import java.util.function.Function;

/**
 * Maps a Segment {@code context} object to the Avro {@link Context}: the well-known fields typed, every
 * other key kept in {@code extra} (canonical JSON text), so nothing the client sent is lost.
 *
 * <p>A well-known field whose value has another JSON type than its Avro field (say {@code
 * context.app.build} sent as a number) is kept in {@code extra} at the same path rather than converted.
 * JSON {@code null} values are treated as absent.
 */
final class ContextMapper {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ContextMapper() {}

    /**
     * @param context the merged context object (may be null)
     * @param serverIp the request's address, used when the client sent no {@code ip}
     */
    static Context map(ObjectNode context, String serverIp) {
        Context.Builder out = Context.newBuilder();
        ObjectNode extra = NODES.objectNode();
        if (context != null) {
            for (Map.Entry<String, JsonNode> f : context.properties()) {
                String key = f.getKey();
                JsonNode value = f.getValue();
                if (value == null || value.isNull()) {
                    continue;
                }
                boolean typed =
                        switch (key) {
                            case "ip" -> value.isTextual() && set(out::setIp, value);
                            case "userAgent" -> value.isTextual() && set(out::setUserAgent, value);
                            case "locale" -> value.isTextual() && set(out::setLocale, value);
                            case "timezone" -> value.isTextual() && set(out::setTimezone, value);
                            case "channel" -> value.isTextual() && set(out::setChannel, value);
                            case "groupId" -> value.isTextual() && set(out::setGroupId, value);
                            case "traits" -> value.isObject() && set(out::setTraits, JsonText.write(value));
                            case "page" -> mapObject(value, key, extra, ContextMapper::page, out::setPage);
                            case "campaign" -> mapObject(value, key, extra, ContextMapper::campaign, out::setCampaign);
                            case "device" -> mapObject(value, key, extra, ContextMapper::device, out::setDevice);
                            case "app" -> mapObject(value, key, extra, ContextMapper::app, out::setApp);
                            case "library" -> mapObject(value, key, extra, ContextMapper::library, out::setLibrary);
                            case "location" -> mapObject(value, key, extra, ContextMapper::location, out::setLocation);
                            default -> false;
                        };
                if (!typed) {
                    extra.set(key, value);
                }
            }
        }
        if (out.getIp() == null || out.getIp().isEmpty()) {
            out.setIp(serverIp);
        }
        out.setExtra(extra.isEmpty() ? null : JsonText.write(extra));
        return out.build();
    }

    private static boolean set(java.util.function.Consumer<String> setter, JsonNode value) {
        setter.accept(value.textValue());
        return true;
    }

    private static boolean set(java.util.function.Consumer<String> setter, String value) {
        setter.accept(value);
        return true;
    }

    /** Maps a typed sub-object; sub-keys it does not model go to {@code extra[key]}. */
    private static <T> boolean mapObject(
            JsonNode value,
            String key,
            ObjectNode extra,
            Function<SubObject, T> mapper,
            java.util.function.Consumer<T> setter) {
        if (!value.isObject()) {
            return false;
        }
        SubObject sub = new SubObject((ObjectNode) value);
        T mapped = mapper.apply(sub);
        if (sub.typedCount() > 0) {
            setter.accept(mapped);
        }
        ObjectNode rest = sub.rest();
        if (!rest.isEmpty()) {
            extra.set(key, rest);
        }
        return true;
    }

    /** A typed context object being read: the keys taken by typed fields, and the rest. */
    private static final class SubObject {
        private final ObjectNode node;
        private final java.util.Set<String> taken = new java.util.HashSet<>();

        SubObject(ObjectNode node) {
            this.node = node;
        }

        String text(String name) {
            JsonNode v = node.get(name);
            if (v != null && v.isTextual()) {
                taken.add(name);
                return v.textValue();
            }
            return null;
        }

        Double number(String name) {
            JsonNode v = node.get(name);
            if (v != null && v.isNumber()) {
                taken.add(name);
                return v.doubleValue();
            }
            return null;
        }

        int typedCount() {
            return taken.size();
        }

        ObjectNode rest() {
            ObjectNode rest = NODES.objectNode();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (!taken.contains(e.getKey()) && !e.getValue().isNull()) {
                    rest.set(e.getKey(), e.getValue());
                }
            }
            return rest;
        }
    }

    private static PageContext page(SubObject o) {
        return PageContext.newBuilder()
                .setPath(o.text("path"))
                .setReferrer(o.text("referrer"))
                .setSearch(o.text("search"))
                .setTitle(o.text("title"))
                .setUrl(o.text("url"))
                .build();
    }

    private static CampaignContext campaign(SubObject o) {
        return CampaignContext.newBuilder()
                .setName(o.text("name"))
                .setSource(o.text("source"))
                .setMedium(o.text("medium"))
                .setTerm(o.text("term"))
                .setContent(o.text("content"))
                .build();
    }

    private static DeviceContext device(SubObject o) {
        return DeviceContext.newBuilder()
                .setId(o.text("id"))
                .setAdvertisingId(o.text("advertisingId"))
                .setManufacturer(o.text("manufacturer"))
                .setModel(o.text("model"))
                .setName(o.text("name"))
                .setType(o.text("type"))
                .setVersion(o.text("version"))
                .build();
    }

    private static AppContext app(SubObject o) {
        return AppContext.newBuilder()
                .setName(o.text("name"))
                .setVersion(o.text("version"))
                .setBuild(o.text("build"))
                .setNamespace(o.text("namespace"))
                .build();
    }

    private static LibraryContext library(SubObject o) {
        return LibraryContext.newBuilder()
                .setName(o.text("name"))
                .setVersion(o.text("version"))
                .build();
    }

    private static LocationContext location(SubObject o) {
        return LocationContext.newBuilder()
                .setCity(o.text("city"))
                .setCountry(o.text("country"))
                .setRegion(o.text("region"))
                .setLatitude(o.number("latitude"))
                .setLongitude(o.number("longitude"))
                .setSpeed(o.number("speed"))
                .build();
    }
}
