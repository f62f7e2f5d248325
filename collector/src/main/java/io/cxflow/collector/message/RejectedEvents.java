package io.cxflow.collector.message;

import io.cxflow.avro.RejectedEvent;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Builds the {@link RejectedEvent} written to {@code cx.events.rejected.v1} for a refused message. */
public final class RejectedEvents {

    /** Stage of messages refused by the HTTP API. */
    public static final String STAGE_COLLECTOR = "collector";
    /** Stage of rows refused by a file import. */
    public static final String STAGE_IMPORT = "import";

    private static final String CONTENT_TYPE = "application/json";

    private RejectedEvents() {}

    /**
     * @param sourceId the source the message came from
     * @param stage {@link #STAGE_COLLECTOR} or {@link #STAGE_IMPORT}
     * @param at when it was refused
     * @param raw the bytes as received (a batch element's own bytes, a file's row)
     * @param index its position in a batch, or its line number in a file; null for a single message
     * @param contentType the media type of {@code raw}
     */
    public static RejectedEvent of(
            String sourceId,
            String stage,
            Instant at,
            byte[] raw,
            Integer index,
            String contentType,
            Rejection rejection) {
        return RejectedEvent.newBuilder()
                .setSourceId(sourceId)
                .setRejectedAt(at.truncatedTo(ChronoUnit.MILLIS))
                .setStage(stage)
                .setCode(rejection.code())
                .setReason(rejection.message())
                .setField(rejection.field())
                .setBatchIndex(index)
                .setPayload(ByteBuffer.wrap(raw))
                .setContentType(contentType == null ? CONTENT_TYPE : contentType)
                .setOrigin(null)
                .build();
    }
}
