package io.cxflow.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.message.SchemaStore;

/**
 * The released versions of a record's schema as they travel in this jar ({@code
 * avro-released/<RecordName>/v<N>.avsc}, the files the release tool writes), for readers of data that
 * carries a schema fingerprint instead of a registry id (Avro single-object encoding): data written
 * before a field was added still names the fingerprint of the version it was written with.
 */
public final class ReleasedSchemas {

    private static final String ROOT = "avro-released/";

    private ReleasedSchemas() {}

    /**
     * Every released version of {@code recordName}, oldest first (v1, v2, … up to the first missing).
     *
     * @throws IllegalArgumentException when no version of {@code recordName} was released
     */
    public static List<Schema> of(String recordName) {
        Objects.requireNonNull(recordName, "recordName");
        List<Schema> versions = new ArrayList<>();
        ClassLoader loader = ReleasedSchemas.class.getClassLoader();
        for (int version = 1; ; version++) {
            String path = ROOT + recordName + "/v" + version + ".avsc";
            try (InputStream in = loader.getResourceAsStream(path)) {
                if (in == null) {
                    break;
                }
                versions.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the released schema " + path, e);
            }
        }
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("no released schema of " + recordName + " under " + ROOT);
        }
        return versions;
    }

    /** A schema store knowing every released version of {@code recordName} (by fingerprint). */
    public static SchemaStore store(String recordName) {
        SchemaStore.Cache cache = new SchemaStore.Cache();
        of(recordName).forEach(cache::addSchema);
        return cache;
    }
}
