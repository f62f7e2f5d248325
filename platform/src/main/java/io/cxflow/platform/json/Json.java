package io.cxflow.platform.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one place cxflow builds Jackson {@link ObjectMapper}s.
 *
 * <p>Every mapper parses with explicit {@link StreamReadConstraints}, so a hostile or broken body
 * (deeply nested arrays, a 100 MB string, a 10,000-digit number) fails fast with a {@code
 * StreamConstraintsException} instead of exhausting memory or CPU. Unknown properties are ignored, so
 * clients may send fields a service does not know yet; duplicate keys are refused, because "the last one
 * wins" hides client bugs in tracking payloads.
 *
 * <p>{@link #mapper()} is shared and thread-safe; configure a private copy with {@link
 * #newMapper(Limits)} when a caller needs different limits.
 */
public final class Json {

    /**
     * Parsing limits.
     *
     * @param maxNestingDepth deepest nesting of arrays and objects
     * @param maxStringLength longest string value or field name, in characters
     * @param maxNumberLength longest number literal, in characters
     * @param maxDocumentLength longest document, in bytes or characters; -1 for no limit
     * @param maxNameLength longest field name, in characters
     */
    public record Limits(
            int maxNestingDepth, int maxStringLength, int maxNumberLength, long maxDocumentLength, int maxNameLength) {

        /** Generous for tracking payloads (a Segment batch is at most 500 KB), tight against abuse. */
        public static final Limits DEFAULT = new Limits(64, 1_000_000, 100, 16L * 1024 * 1024, 1_000);

        public Limits {
            if (maxNestingDepth < 1 || maxStringLength < 1 || maxNumberLength < 1 || maxNameLength < 1) {
                throw new IllegalArgumentException("JSON limits must be positive: " + this);
            }
            if (maxDocumentLength < -1 || maxDocumentLength == 0) {
                throw new IllegalArgumentException("maxDocumentLength must be positive or -1: " + maxDocumentLength);
            }
        }

        StreamReadConstraints toConstraints() {
            return StreamReadConstraints.builder()
                    .maxNestingDepth(maxNestingDepth)
                    .maxStringLength(maxStringLength)
                    .maxNumberLength(maxNumberLength)
                    .maxDocumentLength(maxDocumentLength)
                    .maxNameLength(maxNameLength)
                    .build();
        }
    }

    private static final ObjectMapper SHARED = newMapper(Limits.DEFAULT);

    private Json() {}

    /** The shared mapper with {@link Limits#DEFAULT}; do not reconfigure it. */
    public static ObjectMapper mapper() {
        return SHARED;
    }

    /** A new mapper with the given parsing limits and cxflow's defaults. */
    public static ObjectMapper newMapper(Limits limits) {
        JsonFactory factory = new JsonFactoryBuilder()
                .streamReadConstraints(limits.toConstraints())
                .streamWriteConstraints(StreamWriteConstraints.builder()
                        .maxNestingDepth(Math.max(limits.maxNestingDepth(), 100))
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        return JsonMapper.builder(factory)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
    }
}
