package io.cxflow.analytics.rejection;

import io.cxflow.analytics.profile.ProfileChange;
import io.cxflow.avro.RejectedEvent;
import io.cxflow.avro.TouchpointEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last line of defence: a record whose processing throws an unexpected exception is routed to the
 * rejected topic (code {@code processing_error}, the source record's raw bytes kept) and the stream
 * goes on. Known bad input never gets here: the processors reject it themselves with a precise code.
 * Infrastructure failures (Kafka errors, unreachable dependencies) fail the task instead, so nothing
 * is rejected because of an outage.
 *
 * <p>Configured by {@link Rejections#streamsConfig}.
 */
public final class RejectingProcessingExceptionHandler implements ProcessingExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RejectingProcessingExceptionHandler.class);

    private Rejections.Target target;

    @Override
    public void configure(Map<String, ?> configs) {
        this.target = Rejections.Target.from(configs, "processing");
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (exception instanceof KafkaException || Failures.isTransient(exception)) {
            LOG.error(
                    "processing failed topic={} partition={} offset={} processor={}: infrastructure failure, failing the task",
                    context.topic(),
                    context.partition(),
                    context.offset(),
                    context.processorNodeId(),
                    exception);
            return Response.fail();
        }
        LOG.error(
                "rejecting record topic={} partition={} offset={} processor={} after an unexpected failure",
                context.topic(),
                context.partition(),
                context.offset(),
                context.processorNodeId(),
                exception);
        String sourceId = sourceId(record.value());
        RejectedEvent rejected = Rejections.rejection(
                "processing_error",
                null,
                "processing failed in " + context.processorNodeId() + ": " + Failures.describe(exception),
                sourceId,
                context.sourceRawValue(),
                Rejections.AVRO_CONTENT_TYPE,
                context.topic(),
                context.partition(),
                context.offset(),
                Instant.now());
        byte[] key = sourceId == null ? null : sourceId.getBytes(StandardCharsets.UTF_8);
        return Response.resume(List.of(target.record(key, rejected)));
    }

    /** The source of the event being processed, when the failing processor's input carries it. */
    private static String sourceId(Object value) {
        if (value instanceof TouchpointEvent event) {
            return event.getSourceId();
        }
        if (value instanceof ProfileChange change) {
            return change.sourceId();
        }
        return null;
    }
}
