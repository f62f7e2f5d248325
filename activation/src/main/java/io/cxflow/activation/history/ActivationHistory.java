package io.cxflow.activation.history;

import io.cxflow.activation.kafka.TopicFollower;
import io.cxflow.avro.ActivationResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * Feeds an {@link ActivationIndex} from {@code cx.activations.v1}: every instance reads every
 * partition from {@code from} on (a look-back, not the whole retention) and keeps following.
 */
public final class ActivationHistory implements AutoCloseable {

    private final ActivationIndex index;
    private final TopicFollower<ActivationResult> follower;

    /** @param consumer a consumer without a group id; the history owns and closes it */
    public ActivationHistory(
            Consumer<String, ActivationResult> consumer,
            String topic,
            Instant from,
            Duration pollTimeout,
            ActivationIndex index) {
        this.index = index;
        this.follower = new TopicFollower<>(
                consumer,
                topic,
                from,
                pollTimeout,
                record -> {
                    if (record.value() != null) {
                        index.add(record.value());
                    }
                },
                "cx-activation-history");
    }

    public void start() {
        follower.start();
    }

    public boolean isRunning() {
        return follower.isRunning();
    }

    public boolean isCaughtUp() {
        return follower.isCaughtUp();
    }

    public List<ActivationResult> forCustomer(String customerId) {
        return index.forCustomer(customerId);
    }

    @Override
    public void close() {
        follower.close();
    }
}
