package io.cxflow.schemas.json;

import static io.cxflow.schemas.json.NastyJson.assertSameJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.FloatNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTextTest {

    /**
     * An independent reader: Jackson's own tree model with exact decimals. JsonText must read every
     * document to the same tree (negative zero aside, which Jackson's BigDecimal drops).
     */
    private static final ObjectMapper REFERENCE = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(
                            StreamReadConstraints.builder().maxNestingDepth(64).build())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    static Stream<NastyJson.Doc> corpus() {
        return NastyJson.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void shouldRoundTripToTheSameValueWhenWrittenAndReadBack(NastyJson.Doc doc) {
        JsonNode read = JsonText.read(doc.text());

        String text = JsonText.write(read);
        JsonNode again = JsonText.read(text);

        assertSameJson(read, again);
        assertThat(again).isEqualTo(read);
        assertThat(JsonText.write(again)).as("canonical text is a fixed point").isEqualTo(text);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void shouldReadTheSameTreeAsAnExactReferenceParser(NastyJson.Doc doc) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(
                doc.name().contains("negative"), "negative zero: see shouldKeepTheSignOfNegativeZero");
        JsonNode reference = REFERENCE.readTree(doc.text());

        JsonNode read = JsonText.read(doc.text());

        assertSameJson(reference, read);
    }

    @Test
    void shouldWriteCanonicalTextWithoutWhitespaceAndInReceivedKeyOrder() {
        JsonNode read = JsonText.read(" {\n \"z\" : [ 1 , 2 ]\t, \"a\" : { \"y\" : null , \"b\" : true } }\r\n");

        assertThat(JsonText.write(read)).isEqualTo("{\"z\":[1,2],\"a\":{\"y\":null,\"b\":true}}");
        assertThat(NastyJson.keys(read)).containsExactly("z", "a");
        assertThat(NastyJson.keys(read.get("a"))).containsExactly("y", "b");
    }

    @Test
    void shouldKeepInsertionOrderOfATreeBuiltInCode() {
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        tree.put("zeta", 1).put("alpha", 2).put("mid", 3);

        assertThat(JsonText.write(tree)).isEqualTo("{\"zeta\":1,\"alpha\":2,\"mid\":3}");
    }

    @Test
    void shouldKeepTrailingZerosSoThatOnePointTenDiffersFromOnePointOne() {
        JsonNode tens = JsonText.read("1.10");
        JsonNode one = JsonText.read("1.1");

        assertThat(JsonText.write(tens)).isEqualTo("1.10");
        assertThat(tens.decimalValue().scale()).isEqualTo(2);
        assertThat(one.decimalValue().scale()).isEqualTo(1);
        assertThat(JsonText.write(tens)).isNotEqualTo(JsonText.write(one));
        assertThat(tens)
                .as("Jackson's equals compares decimals by numeric value only")
                .isEqualTo(one);
        assertThat(JsonText.write(JsonText.read("{\"p\":19.90}"))).isEqualTo("{\"p\":19.90}");
    }

    @Test
    void shouldKeepHugeExponentsExactly() {
        JsonNode big = JsonText.read("1e400");

        assertThat(big.decimalValue()).isEqualTo(new BigDecimal("1e400"));
        assertThat(big.decimalValue().scale()).isEqualTo(-400);
        assertThat(JsonText.write(big)).isEqualTo("1E+400");
        assertThat(JsonText.read("1E+400").decimalValue()).isEqualTo(big.decimalValue());
        assertThat(JsonText.read("-2.5e-400").decimalValue()).isEqualTo(new BigDecimal("-2.5e-400"));
    }

    @Test
    void shouldKeepManyDigitsExactlyWithoutBinaryRounding() {
        String pi = "3.14159265358979323846264338327950288419716939937510582097494459";

        assertThat(JsonText.read(pi).decimalValue()).isEqualTo(new BigDecimal(pi));
        assertThat(JsonText.write(JsonText.read(pi))).isEqualTo(pi);
        assertThat(JsonText.write(JsonText.read("0.1"))).isEqualTo("0.1");
    }

    @Test
    void shouldKeepBigIntegersAsIntegers() {
        String huge = "123456789012345678901234567890123456789012345678901234567890";

        JsonNode read = JsonText.read(huge);

        assertThat(read.isBigInteger()).isTrue();
        assertThat(read.bigIntegerValue()).isEqualTo(new BigInteger(huge));
        assertThat(JsonText.write(read)).isEqualTo(huge);
        assertThat(JsonText.read("-9223372036854775809").bigIntegerValue())
                .isEqualTo(new BigInteger("-9223372036854775809"));
    }

    @Test
    void shouldKeepADecimalWithScaleZeroADecimal() {
        JsonNode fifteen = JsonText.read("1.5e1");

        assertThat(fifteen.isBigDecimal()).isTrue();
        assertThat(JsonText.write(fifteen)).isEqualTo("15E0");
        JsonNode back = JsonText.read("15E0");
        assertThat(back.isBigDecimal()).isTrue();
        assertThat(back.decimalValue()).isEqualTo(new BigDecimal("1.5e1"));
        assertThat(JsonText.read("15").isInt()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-0", "-0.0", "-0e10", "-0.000E-3"})
    void shouldKeepTheSignOfNegativeZero(String text) {
        JsonNode zero = JsonText.read(text);

        assertThat(zero.isDouble()).isTrue();
        assertThat(Double.doubleToRawLongBits(zero.doubleValue())).isEqualTo(Double.doubleToRawLongBits(-0.0d));
        assertThat(JsonText.write(zero)).isEqualTo("-0.0");
        assertSameJson(zero, JsonText.read(JsonText.write(zero)));
    }

    @Test
    void shouldKeepPositiveZerosWithTheirScale() {
        assertThat(JsonText.write(JsonText.read("0"))).isEqualTo("0");
        assertThat(JsonText.write(JsonText.read("0.000"))).isEqualTo("0.000");
        assertThat(JsonText.write(JsonText.read("0e5"))).isEqualTo("0E+5");
    }

    @Test
    void shouldWriteDoublesAndFloatsOfCallerTreesAsTheirShortestDecimal() {
        ArrayNode tree = JsonNodeFactory.instance.arrayNode();
        tree.add(DoubleNode.valueOf(0.1)).add(FloatNode.valueOf(1.1f)).add(DoubleNode.valueOf(1e21));
        tree.add(LongNode.valueOf(5)).add(DecimalNode.valueOf(new BigDecimal("2.50")));

        String text = JsonText.write(tree);

        assertThat(text).isEqualTo("[0.1,1.1,1.0E21,5,2.50]");
        JsonNode back = JsonText.read(text);
        assertThat(back.get(0).doubleValue()).isEqualTo(0.1);
        assertThat(back.get(1).floatValue()).isEqualTo(1.1f);
        assertThat(back.get(2).doubleValue()).isEqualTo(1e21);
        assertThat(back.get(3).longValue()).isEqualTo(5L);
    }

    @Test
    void shouldPreserveUnicodeAndEscapeOnlyWhatJsonRequires() {
        String text = "{\"e\":\"😀 שלום é\",\"c\":\"\\u0000\\u001f\\b\\f\\n\\r\\t\\\"\\\\\\/\",\"u\":\"\\u2028\"}";

        String written = JsonText.write(JsonText.read(text));

        assertThat(written)
                .isEqualTo("{\"e\":\"😀 שלום é\",\"c\":\"\\u0000\\u001f\\b\\f\\n\\r\\t\\\"\\\\/\",\"u\":\"\u2028\"}");
        assertThat(JsonText.read(written).get("e").textValue()).isEqualTo("😀 שלום é");
        assertThat(JsonText.read(written).get("c").textValue()).isEqualTo("\u0000\u001f\b\f\n\r\t\"\\/");
    }

    @Test
    void shouldEscapeUnpairedSurrogatesSoTheTextIsValidUtf8() {
        JsonNode read = JsonText.read("[\"x\\ud800y\",\"\\udc00\",\"\\ud83d\\ude00\"]");

        String written = JsonText.write(read);

        assertThat(read.get(0).textValue()).isEqualTo("x\ud800y");
        assertThat(written).isEqualTo("[\"x\\ud800y\",\"\\udc00\",\"😀\"]");
        byte[] utf8 = written.getBytes(StandardCharsets.UTF_8);
        assertThat(new String(utf8, StandardCharsets.UTF_8)).isEqualTo(written);
        assertSameJson(read, JsonText.codec().read(utf8));
    }

    @Test
    void shouldReadAnObjectAndGiveAnEmptyObjectForNullOrEmptyText() {
        assertThat(JsonText.readObject(null)).isEmpty();
        assertThat(JsonText.readObject("")).isEmpty();
        ObjectNode first = JsonText.readObject(null);
        first.put("a", 1);
        assertThat(JsonText.readObject(null)).as("a new object every time").isEmpty();
        assertThat(JsonText.readObject("{\"a\":1}").get("a").intValue()).isEqualTo(1);
    }

    @Test
    void shouldRefuseToReadAnotherValueAsAnObject() {
        assertThatThrownBy(() -> JsonText.readObject("[1]"))
                .isInstanceOf(JsonTextException.class)
                .hasMessageContaining("expected a JSON object")
                .hasMessageContaining("array");
    }

    @Test
    void shouldReadNestingExactlyAtTheDepthLimit() {
        JsonNode deepest = JsonText.read(NastyJson.nested(64));

        assertThat(JsonText.read(JsonText.write(deepest))).isEqualTo(deepest);
    }

    @Test
    void shouldRefuseNestingBeyondTheDepthLimitWithAClearError() {
        assertThatThrownBy(() -> JsonText.read(NastyJson.nested(65)))
                .isInstanceOf(JsonTextException.class)
                .hasMessageContaining("nesting depth (65)")
                .hasMessageContaining("maximum allowed (64");
        assertThatThrownBy(() -> JsonText.read("[".repeat(100_000)))
                .isInstanceOf(JsonTextException.class)
                .hasMessageContaining("maximum allowed (64");
    }

    @Test
    void shouldRefuseToWriteATreeDeeperThanItCouldReadBack() {
        ArrayNode root = JsonNodeFactory.instance.arrayNode();
        ArrayNode inner = root;
        for (int i = 1; i < 65; i++) {
            inner = inner.addArray();
        }

        assertThatThrownBy(() -> JsonText.write(root))
                .isInstanceOf(JsonTextException.class)
                .hasMessageContaining("deeper than the limit of 64");
        assertThat(JsonText.read(JsonText.write(root.get(0)))).isEqualTo(root.get(0));
    }

    @Test
    void shouldApplyTheDepthOfACustomCodec() {
        JsonCodec shallow = JsonCodec.of(JsonCodec.Limits.stored().withMaxDepth(2));

        assertThat(shallow.read("{\"a\":[1]}").get("a").get(0).intValue()).isEqualTo(1);
        assertThatThrownBy(() -> shallow.read("{\"a\":[[1]]}"))
                .isInstanceOf(JsonTextException.class)
                .hasMessageContaining("maximum allowed (2");
        assertThatThrownBy(() -> JsonCodec.Limits.stored().withMaxDepth(JsonCodec.MAX_SUPPORTED_DEPTH + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRefuseDuplicateKeysInsteadOfDroppingAValue() {
        assertThatThrownBy(() -> JsonText.read("{\"a\":1,\"b\":{\"x\":1,\"x\":2}}"))
                .isInstanceOf(JsonTextException.class)
                .hasMessageContaining("duplicate key")
                .hasMessageContaining("line 1");
        assertThatThrownBy(() -> JsonText.read("{\"a\":1,\"\\u0061\":2}"))
                .as("an escaped spelling is the same key")
                .isInstanceOf(JsonTextException.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "   ",
                "{} {}",
                "{\"a\":1} x",
                "{'a':1}",
                "{\"a\":NaN}",
                "[Infinity]",
                "[01]",
                "[1,]",
                "{\"a\":1 /* c */}",
                "[\"unterminated",
                "tru",
                "[1e99999]",
                "[1e2147483648]"
            })
    void shouldRefuseTextThatIsNotExactlyOneJsonValue(String text) {
        assertThatThrownBy(() -> JsonText.read(text)).isInstanceOf(JsonTextException.class);
    }

    @Test
    void shouldKeepTheInputOutOfErrorMessages() {
        assertThatThrownBy(() -> JsonText.read("{\"email\": ann.secret@example.com}"))
                .isInstanceOf(JsonTextException.class)
                .hasMessageContaining("line 1")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("ann").doesNotContain("secret"))
                .satisfies(e -> assertThat(e.getCause()).isNull());
    }

    @Test
    void shouldRefuseToWriteNodesThatAreNotJson() {
        List<JsonNode> notJson = List.of(
                DoubleNode.valueOf(Double.NaN),
                FloatNode.valueOf(Float.POSITIVE_INFINITY),
                BinaryNode.valueOf(new byte[] {1, 2}),
                MissingNode.getInstance(),
                JsonNodeFactory.instance.pojoNode(new Object()));

        for (JsonNode node : notJson) {
            ArrayNode holder = JsonNodeFactory.instance.arrayNode().add(node);
            assertThatThrownBy(() -> JsonText.write(holder))
                    .as(node.getNodeType().name())
                    .isInstanceOf(JsonTextException.class);
        }
    }
}
