package io.cxflow.activation.channel.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxflow.activation.channel.ChannelConnector;
import io.cxflow.activation.channel.Delivery;
import io.cxflow.activation.channel.FailureClassifier;
import io.cxflow.activation.channel.RequestSigner;
import io.cxflow.activation.channel.SendContext;
import io.cxflow.activation.channel.Undeliverable;
import io.cxflow.activation.channel.http.HttpEndpoint;
import io.cxflow.activation.channel.http.MessagingConfig;
import io.cxflow.activation.channel.http.ProviderClient;
import io.cxflow.activation.decision.Decision;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The {@code agent_task} channel: a task for a person (call center, store associate) with the customer
 * context they need ({@link AgentTaskDocument}), delivered
 *
 * <ul>
 *   <li>by HTTP webhook: one {@code POST} of the JSON task with {@code Idempotency-Key}, the endpoint's
 *       {@code Authorization} and, when configured, {@code X-Cx-Signature}; answers classified like
 *       every provider's ({@code 429}/{@code 5xx}/timeouts retriable with {@code Retry-After});
 *   <li>or to a Kafka topic through the producer handed in: one record, key = customer id (one
 *       customer's tasks stay in order), value = the JSON task, headers {@code Idempotency-Key}, {@code
 *       cx-task-id} and {@code content-type}; acknowledged within the send timeout, else retriable;
 *       Kafka's retriable errors are retriable, others permanent.
 * </ul>
 *
 * A step chooses with {@code delivery} ({@code webhook} or {@code topic}); without it, the webhook is
 * used when configured, else the topic. Every attempt carries the same bytes. The producer belongs to
 * the caller: it should be idempotent with {@code acks=all}, and is not closed here.
 */
public final class AgentTaskConnector implements ChannelConnector {

    public static final String CHANNEL = "agent_task";
    public static final String DELIVERY_SETTING = "delivery";
    public static final String TASK_ID_HEADER = "cx-task-id";

    private final AgentTaskConfig config;
    private final ObjectMapper mapper;
    private final HttpEndpoint endpoint;
    private final RequestSigner signer;
    private final ProviderClient client;
    private final Producer<String, byte[]> producer;

    /**
     * @param producer the producer of task records; required when a topic is configured
     */
    public AgentTaskConnector(
            AgentTaskConfig config, Optional<Producer<String, byte[]>> producer, ObjectMapper mapper, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.endpoint = config.http().map(MessagingConfig::endpoint).orElse(null);
        this.signer = config.http().flatMap(MessagingConfig::signer).orElse(null);
        this.client = endpoint == null ? null : ProviderClient.forEndpoint(endpoint, clock);
        this.producer = producer.orElse(null);
        if (config.topic().isPresent() && this.producer == null) {
            throw new IllegalArgumentException(
                    AgentTaskConfig.TOPIC.name() + " is set but no producer was given for agent tasks");
        }
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public Delivery deliver(Decision decision, int attempt) throws InterruptedException {
        return deliver(decision, SendContext.none(), attempt);
    }

    @Override
    public Delivery deliver(Decision decision, SendContext context, int attempt) throws InterruptedException {
        long start = System.nanoTime();
        byte[] body;
        boolean toTopic;
        try {
            toTopic = useTopic(decision);
            body = body(decision, context);
        } catch (Undeliverable e) {
            return e.toDelivery(elapsed(start));
        }
        if (!toTopic) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put(ProviderClient.IDEMPOTENCY_KEY_HEADER, decision.key().value());
            if (signer != null) {
                headers.put(RequestSigner.HEADER, signer.sign(body));
            }
            return client.postJson(endpoint, body, headers);
        }
        return produce(decision, body, start);
    }

    /** The task's JSON bytes: the same for every attempt of a decision with the same context. */
    public byte[] body(Decision decision, SendContext context) throws Undeliverable {
        try {
            return mapper.writeValueAsBytes(
                    AgentTaskDocument.build(decision, context, mapper, config.recentProducts()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the agent task", e);
        }
    }

    private boolean useTopic(Decision decision) throws Undeliverable {
        String delivery = decision.settings().get(DELIVERY_SETTING);
        if (delivery == null) {
            return endpoint == null;
        }
        switch (delivery.trim().toLowerCase(Locale.ROOT)) {
            case "webhook":
                if (endpoint == null) {
                    throw new Undeliverable("the step asks for webhook delivery but no agent-task URL is configured");
                }
                return false;
            case "topic":
                if (producer == null) {
                    throw new Undeliverable("the step asks for topic delivery but no agent-task topic is configured");
                }
                return true;
            default:
                throw new Undeliverable("the step's 'delivery' must be webhook or topic");
        }
    }

    private Delivery produce(Decision decision, byte[] body, long start) throws InterruptedException {
        String topic = config.topic().orElseThrow();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, decision.customerId(), body);
        record.headers()
                .add(new RecordHeader(
                        ProviderClient.IDEMPOTENCY_KEY_HEADER,
                        decision.key().value().getBytes(StandardCharsets.UTF_8)));
        record.headers()
                .add(new RecordHeader(
                        TASK_ID_HEADER, AgentTaskDocument.taskId(decision).getBytes(StandardCharsets.UTF_8)));
        record.headers().add(new RecordHeader("content-type", "application/json".getBytes(StandardCharsets.UTF_8)));
        Future<RecordMetadata> ack;
        try {
            ack = producer.send(record);
        } catch (KafkaException e) {
            return kafkaFailure(e, start);
        }
        try {
            RecordMetadata metadata = ack.get(config.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return new Delivery(
                    Delivery.Outcome.SENT,
                    null,
                    elapsed(start),
                    metadata.topic() + "-" + metadata.partition() + "@" + metadata.offset(),
                    null,
                    null);
        } catch (TimeoutException e) {
            return new Delivery(
                    Delivery.Outcome.RETRIABLE,
                    null,
                    elapsed(start),
                    null,
                    "no acknowledgement of the task record within "
                            + config.sendTimeout().toMillis() + " ms",
                    null);
        } catch (ExecutionException e) {
            return kafkaFailure(e.getCause() == null ? e : e.getCause(), start);
        }
    }

    private static Delivery kafkaFailure(Throwable error, long start) {
        Delivery.Outcome outcome =
                error instanceof RetriableException ? Delivery.Outcome.RETRIABLE : Delivery.Outcome.PERMANENT;
        return new Delivery(
                outcome,
                null,
                elapsed(start),
                null,
                "cannot produce the task: " + FailureClassifier.describe(error),
                null);
    }

    private static Duration elapsed(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }

    @Override
    public String toString() {
        return "AgentTaskConnector[webhook=" + (endpoint == null ? "none" : endpoint) + ", topic="
                + config.topic().orElse("none") + "]";
    }
}
