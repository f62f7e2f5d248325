package io.cxflow.analytics.rejection;

import io.cxflow.avro.RejectedEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes a record whose key or value cannot be decoded to the rejected topic (code {@code
 * undecodable}, the raw bytes kept) and lets the stream go on. A failure of the registry itself is
 * not the record's fault: it fails the task, which is retried (see {@link Failures}).
 *
 * <p>Configured by {@link Rejections#streamsConfig}.
 */
public final class RejectingDeserializationExceptionHandler implements DeserializationExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RejectingDeserializationExceptionHandler.class);

    private Rejections.Target target;

    @Override
    public void configure(Map<String, ?> configs) {
        this.target = Rejections.Target.from(configs, "deserialization");
    }

    @Override
    public Response handleError(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (Failures.isTransient(exception)) {
            LOG.error(
                    "cannot decode record topic={} partition={} offset={}: dependency unavailable, failing the task to retry",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    exception);
            return Response.fail();
        }
        LOG.warn(
                "rejecting undecodable record topic={} partition={} offset={}: {}",
                record.topic(),
                record.partition(),
                record.offset(),
                Failures.describe(exception));
        RejectedEvent rejected = Rejections.rejection(
                "undecodable",
                null,
                "the record cannot be decoded: " + Failures.describe(exception),
                null,
                record.value(),
                null,
                record.topic(),
                record.partition(),
                record.offset(),
                Instant.now());
        return Response.resume(List.of(target.record(null, rejected)));
    }
}
