package io.cxflow.platform.serde;

import com.microsoft.kiota.ApiException;
import io.apicurio.registry.resolver.client.RegistryArtifactReference;
import io.apicurio.registry.resolver.client.RegistryClientFacade;
import io.apicurio.registry.resolver.client.RegistryVersionCoordinates;
import io.apicurio.registry.resolver.strategy.ArtifactReference;
import io.vertx.core.VertxException;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The registry client the serdes use, turning a failure to talk to the registry — no connection, no
 * answer within the client's timeouts, a server error — into a {@link RegistryUnavailableException}
 * naming the registry. The registry's own refusals (an unknown id, an incompatible schema) pass through
 * unchanged: they belong to the record.
 */
final class UnavailabilityTranslatingClient implements RegistryClientFacade {

    private static final int MAX_CAUSE_DEPTH = 16;

    private final RegistryClientFacade delegate;
    private final String description;

    /**
     * @param description how the failures name the registry, e.g. {@code schema registry at
     *     http://127.0.0.1:8085/apis/registry/v3 (connect timeout 5 s, no answer within 15 s)}
     */
    UnavailabilityTranslatingClient(RegistryClientFacade delegate, String description) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.description = Objects.requireNonNull(description, "description");
    }

    /** Whether a failure of a registry call is the registry's unavailability rather than its answer. */
    static boolean isUnavailable(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_CAUSE_DEPTH; depth++) {
            if (t instanceof IOException
                    || t instanceof TimeoutException
                    || t instanceof VertxException
                    || (t instanceof ApiException api && api.getResponseStatusCode() >= 500)) {
                return true;
            }
            t = t.getCause();
        }
        return false;
    }

    private <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            if (isUnavailable(e)) {
                throw new RegistryUnavailableException(
                        "the " + description + " is unavailable: " + AvroSerde.rootMessage(e), e);
            }
            throw e;
        }
    }

    @Override
    public String getSchemaByContentId(Long contentId) {
        return call(() -> delegate.getSchemaByContentId(contentId));
    }

    @Override
    public String getSchemaByGlobalId(long globalId, boolean dereference) {
        return call(() -> delegate.getSchemaByGlobalId(globalId, dereference));
    }

    @Override
    public String getSchemaByGAV(String groupId, String artifactId, String version) {
        return call(() -> delegate.getSchemaByGAV(groupId, artifactId, version));
    }

    @Override
    public String getSchemaByContentHash(String contentHash) {
        return call(() -> delegate.getSchemaByContentHash(contentHash));
    }

    @Override
    public List<RegistryArtifactReference> getReferencesByContentId(long contentId) {
        return call(() -> delegate.getReferencesByContentId(contentId));
    }

    @Override
    public List<RegistryArtifactReference> getReferencesByGlobalId(long globalId) {
        return call(() -> delegate.getReferencesByGlobalId(globalId));
    }

    @Override
    public List<RegistryArtifactReference> getReferencesByGAV(String groupId, String artifactId, String version) {
        return call(() -> delegate.getReferencesByGAV(groupId, artifactId, version));
    }

    @Override
    public List<RegistryArtifactReference> getReferencesByContentHash(String contentHash) {
        return call(() -> delegate.getReferencesByContentHash(contentHash));
    }

    @Override
    public List<RegistryVersionCoordinates> searchVersionsByContent(
            String schema, String artifactType, ArtifactReference reference, boolean canonical) {
        return call(() -> delegate.searchVersionsByContent(schema, artifactType, reference, canonical));
    }

    @Override
    public RegistryVersionCoordinates createSchema(
            String artifactType,
            String groupId,
            String artifactId,
            String version,
            String autoCreate,
            boolean canonical,
            String schema,
            Set<RegistryArtifactReference> references) {
        return call(() -> delegate.createSchema(
                artifactType, groupId, artifactId, version, autoCreate, canonical, schema, references));
    }

    @Override
    public RegistryVersionCoordinates getVersionCoordinatesByGAV(String groupId, String artifactId, String version) {
        return call(() -> delegate.getVersionCoordinatesByGAV(groupId, artifactId, version));
    }

    @Override
    public Object getClient() {
        return delegate.getClient();
    }
}
