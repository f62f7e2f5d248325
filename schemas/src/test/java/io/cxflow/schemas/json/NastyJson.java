package io.cxflow.schemas.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** A corpus of JSON texts that break naive codecs, and a strict comparison of trees. */
final class NastyJson {

    /** One document of the corpus. */
    record Doc(String name, String text) {
        @Override
        public String toString() {
            return name;
        }
    }

    private NastyJson() {}

    /** {@code depth} nested containers, alternating objects and arrays, with a value at the bottom. */
    static String nested(int depth) {
        StringBuilder open = new StringBuilder();
        StringBuilder close = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            if (i % 2 == 0) {
                open.append("{\"d").append(i).append("\":");
                close.insert(0, '}');
            } else {
                open.append('[');
                close.insert(0, ']');
            }
        }
        return open + "1.10" + close;
    }

    /** Documents that are JSON objects (they fit every JSON-text field of the Avro records). */
    static List<Doc> objects() {
        List<Doc> docs = new ArrayList<>();
        docs.add(new Doc("deep nesting to the limit (64)", nested(64)));
        docs.add(new Doc(
                "big integers",
                "{\"int\":2147483647,\"aboveInt\":2147483648,\"longMax\":9223372036854775807,"
                        + "\"belowLongMin\":-9223372036854775809,"
                        + "\"huge\":123456789012345678901234567890123456789012345678901234567890}"));
        docs.add(new Doc(
                "floats with many digits and exponents",
                "{\"pi\":3.14159265358979323846264338327950288419716939937510582097494459,"
                        + "\"tenth\":0.1,\"small\":1e-7,\"avogadro\":6.02214076e23,\"big\":1e400,\"BIG\":1E+400,"
                        + "\"tiny\":-2.5e-400,\"minDouble\":4.9E-324,\"scaleZero\":1.5e1,\"zeroExp\":0e5}"));
        docs.add(new Doc(
                "trailing zeros are part of the value",
                "{\"a\":1.10,\"b\":1.1,\"c\":1.100,\"d\":100,\"e\":1.0,\"f\":10.00e-1,\"price\":19.90}"));
        docs.add(new Doc(
                "negative and positive zeros",
                "{\"negInt\":-0,\"negDec\":-0.0,\"negExp\":-0e10,\"zero\":0,\"zeroDec\":0.0,\"zeroScale\":0.000}"));
        docs.add(new Doc(
                "unicode: emoji, flags, families, RTL, combining marks, BOM",
                "{\"emoji\":\"😀\",\"family\":\"👩‍👩‍👧‍👦\",\"flag\":\"🇮🇹\",\"hebrew\":\"שלום עולם\","
                        + "\"arabic\":\"مرحبا بالعالم\",\"mixed\":\"abc \u202Eשלום\u202C def\","
                        + "\"composed\":\"é\",\"decomposed\":\"e\u0301\",\"bom\":\"\uFEFFx\",\"cjk\":\"漢字かなカナ\","
                        + "\"escapedPair\":\"\\ud83d\\ude00\",\"math\":\"\\ud835\\udd38\"}"));
        docs.add(new Doc(
                "escaped control characters and specials",
                "{\"nul\":\"a\\u0000b\",\"ctl\":\"\\u0001\\u001f\\u007f\",\"named\":\"\\b\\f\\n\\r\\t\","
                        + "\"quote\":\"say \\\"hi\\\"\",\"backslash\":\"C:\\\\dir\\\\\",\"slash\":\"a\\/b\","
                        + "\"separators\":\"\\u2028\\u2029\",\"escapedAscii\":\"\\u0041\\u0062\"}"));
        docs.add(new Doc(
                "unpaired surrogates",
                "{\"high\":\"x\\ud800y\",\"low\":\"\\udc00\",\"reversed\":\"\\ude00\\ud83d\",\"end\":\"a\\udbff\"}"));
        docs.add(new Doc(
                "nulls inside arrays and objects",
                "{\"arr\":[null,1,null,[null],{\"a\":null},null],\"n\":null,\"onlyNull\":[null]}"));
        docs.add(new Doc(
                "empty objects, arrays and strings",
                "{\"o\":{},\"a\":[],\"s\":\"\",\"\":{},\"nested\":[[],[{}],{\"\":[]}]}"));
        docs.add(new Doc(
                "duplicate-looking keys",
                "{\"a\":1,\"A\":2,\"a \":3,\" a\":4,\"é\":5,\"e\u0301\":6,\"\":7,\"\\u0000\":8,\"a\\u200b\":9,"
                        + "\"\\\"a\\\"\":10,\"a.b\":11,\"a\\\\b\":12}"));
        docs.add(new Doc(
                "key order as received, not sorted",
                "{\"z\":1,\"a\":2,\"m\":{\"y\":true,\"b\":false,\"x\":null},\"b\":[{\"k2\":1,\"k1\":2}]}"));
        docs.add(new Doc(
                "a Segment-like properties object",
                "{\"revenue\":123.450,\"currency\":\"EUR\",\"products\":[{\"sku\":\"A-1\",\"price\":9.99,\"qty\":2},"
                        + "{\"sku\":\"B-2\",\"price\":1E+2,\"qty\":1}],\"coupon\":null,\"gift\":false}"));
        docs.add(new Doc("whitespace in the input is not kept", " {\n \"a\" : [ 1 , 2 ]\t, \"b\" : { } }\r\n"));
        return docs;
    }

    /** Scalar and array documents (as in {@code TraitValue.value}). */
    static List<Doc> values() {
        List<Doc> docs = new ArrayList<>();
        docs.add(new Doc("string", "\"Ann 😀 \\u0000\""));
        docs.add(new Doc("decimal with trailing zero", "1.10"));
        docs.add(new Doc("negative zero", "-0"));
        docs.add(new Doc("big integer", "-123456789012345678901234567890"));
        docs.add(new Doc("huge exponent", "1e400"));
        docs.add(new Doc("null", "null"));
        docs.add(new Doc("true", "true"));
        docs.add(new Doc("array", "[1,\"two\",3.0,null,{},[]]"));
        docs.add(new Doc("deep array to the limit", "[".repeat(64) + "]".repeat(64)));
        return docs;
    }

    static List<Doc> all() {
        List<Doc> docs = new ArrayList<>(objects());
        docs.addAll(values());
        return docs;
    }

    /**
     * Asserts two trees are the same JSON value strictly: same node kinds, keys in the same order,
     * decimals equal including scale, doubles equal bit for bit (so -0.0 differs from 0.0), same strings.
     */
    static void assertSameJson(JsonNode expected, JsonNode actual) {
        assertSameJson(expected, actual, "$");
    }

    private static void assertSameJson(JsonNode expected, JsonNode actual, String at) {
        if (expected.getNodeType() != actual.getNodeType()) {
            fail("%s: expected a %s but found a %s", at, expected.getNodeType(), actual.getNodeType());
        }
        switch (expected.getNodeType()) {
            case OBJECT -> {
                List<String> expectedKeys = keys(expected);
                assertThat(keys(actual)).as("%s keys in order", at).isEqualTo(expectedKeys);
                for (String key : expectedKeys) {
                    assertSameJson(expected.get(key), actual.get(key), at + "." + key);
                }
            }
            case ARRAY -> {
                assertThat(actual.size()).as("%s size", at).isEqualTo(expected.size());
                for (int i = 0; i < expected.size(); i++) {
                    assertSameJson(expected.get(i), actual.get(i), at + "[" + i + "]");
                }
            }
            case NUMBER -> {
                assertThat(actual.numberType()).as("%s number type", at).isEqualTo(expected.numberType());
                if (expected.isDouble() || expected.isFloat()) {
                    assertThat(Double.doubleToRawLongBits(actual.doubleValue()))
                            .as("%s double bits", at)
                            .isEqualTo(Double.doubleToRawLongBits(expected.doubleValue()));
                } else if (expected.isBigDecimal()) {
                    assertThat(actual.decimalValue().unscaledValue())
                            .as("%s unscaled", at)
                            .isEqualTo(expected.decimalValue().unscaledValue());
                    assertThat(actual.decimalValue().scale())
                            .as("%s scale", at)
                            .isEqualTo(expected.decimalValue().scale());
                } else {
                    assertThat(actual.bigIntegerValue()).as(at).isEqualTo(expected.bigIntegerValue());
                }
            }
            case STRING -> assertThat(actual.textValue()).as(at).isEqualTo(expected.textValue());
            case BOOLEAN -> assertThat(actual.booleanValue()).as(at).isEqualTo(expected.booleanValue());
            case NULL -> {}
            default -> fail("%s: unexpected node %s", at, expected.getNodeType());
        }
    }

    static List<String> keys(JsonNode object) {
        List<String> keys = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator(); it.hasNext(); ) {
            keys.add(it.next().getKey());
        }
        return keys;
    }
}
