package io.cxflow.activation;

import io.cxflow.activation.channel.ChannelRegistry;
import io.cxflow.activation.channel.RequestSigner;
import io.cxflow.activation.channel.WebhookConnector;
import io.cxflow.activation.dispatch.DecisionExecutor;
import io.cxflow.activation.dispatch.DeferredScheduler;
import io.cxflow.activation.dispatch.Dispatcher;
import io.cxflow.activation.dispatch.KafkaResultSink;
import io.cxflow.activation.dispatch.RetryRequests;
import io.cxflow.activation.feedback.FeedbackLoop;
import io.cxflow.activation.guard.GuardrailConfig;
import io.cxflow.activation.guard.Guardrails;
import io.cxflow.activation.guard.SuppressionList;
import io.cxflow.activation.history.ActivationHistory;
import io.cxflow.activation.history.ActivationIndex;
import io.cxflow.activation.http.ActivationRoutes;
import io.cxflow.activation.http.AdminAuth;
import io.cxflow.activation.http.FeedbackRoutes;
import io.cxflow.activation.kafka.TopicFollower;
import io.cxflow.activation.ledger.KafkaLedger;
import io.cxflow.activation.ledger.LedgerCodec;
import io.cxflow.activation.limit.WorkflowUsage;
import io.cxflow.activation.profile.ProfileClient;
import io.cxflow.activation.profile.SendTimeProfiles;
import io.cxflow.activation.replay.DlqReplay;
import io.cxflow.activation.replay.DlqRoutes;
import io.cxflow.activation.template.MessageTemplates;
import io.cxflow.activation.trigger.CustomerResolver;
import io.cxflow.activation.trigger.EventTriggerBridge;
import io.cxflow.activation.trigger.TriggerTopic;
import io.cxflow.activation.workflow.WorkflowRules;
import io.cxflow.activation.workflow.WorkflowStore;
import io.cxflow.activation.workflow.WorkflowView;
import io.cxflow.avro.ActivationResult;
import io.cxflow.avro.PrivacyRequest;
import io.cxflow.avro.SegmentMembershipChanged;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.avro.WorkflowDefinition;
import io.cxflow.platform.PlatformContext;
import io.cxflow.platform.http.Health;
import io.cxflow.platform.http.HttpServer;
import io.cxflow.platform.json.Json;
import io.cxflow.platform.kafka.KafkaSettings;
import io.cxflow.platform.metrics.Metrics;
import io.cxflow.schemas.Topic;
import io.cxflow.schemas.Topics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The activation service: the workflow API, the in-memory workflow view, the channel connectors, the
 * dispatcher that turns membership changes into deliveries and results, and the recent-results index. Started by {@code cx
 * up} (all services in one JVM) and by a standalone deployment the same way.
 *
 * <p>{@link #start} returns once the HTTP API listens; the dispatcher starts as soon as the workflow view
 * has caught up with {@code cx.workflows.v1} ({@code GET /health/ready} turns 200 then).
 */
public final class ActivationService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ActivationService.class);

    /** The service name in logs, metrics and health documents. */
    public static final String SERVICE = "activation";

    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    /** Longest wait of a membership fetch for data (the consumer default is 500 ms). */
    private static final int DISPATCH_FETCH_MAX_WAIT_MS = 20;
    /** How long replay requests stay on their topic (they are applied within seconds). */
    private static final Duration RETRY_REQUEST_RETENTION = Duration.ofDays(7);
    /** Producers whose every send is waited for send at once. */
    private static final Map<String, Object> NO_LINGER = Map.of(ProducerConfig.LINGER_MS_CONFIG, 0);
    /** Workflow documents are small; anything larger is refused with 413. */
    private static final long MAX_REQUEST_BYTES = 256 * 1024;

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object lifecycle = new Object();
    private HttpServer http;
    private WorkflowView view;
    private Dispatcher dispatcher;
    private DeferredScheduler scheduler;
    private EventTriggerBridge bridge;
    private RetryRequests retries;
    private volatile boolean dispatcherStarted;
    private volatile boolean workflowsLoaded;
    private volatile boolean privacyLoaded;
    private volatile boolean usageLoaded;

    private ActivationService() {}

    /**
     * Starts the service.
     *
     * @throws IllegalStateException when a catalog topic is missing or the port cannot be bound; every
     *     client opened so far is closed again
     */
    public static ActivationService start(ActivationConfig config, PlatformContext platform) {
        ActivationService service = new ActivationService();
        try {
            service.boot(config, platform);
            return service;
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
    }

    private void boot(ActivationConfig config, PlatformContext platform) {
        log.info("starting {} with {}", SERVICE, config);
        if (config.signingSecret().isEmpty() && !platform.common().isLocal()) {
            log.warn(
                    "{} is not set: webhook receivers cannot verify that requests come from this deployment",
                    ActivationConfig.WEBHOOK_SIGNING_SECRET.name());
        }
        KafkaSettings kafka = platform.kafka();
        Topics topics = platform.topics();
        PrometheusMeterRegistry registry = Metrics.create(SERVICE);
        resources.push(registry::close);
        ActivationMetrics metrics = new ActivationMetrics(registry);
        Clock clock = Clock.systemUTC();

        // the workflow view and its writer
        Topic<String, WorkflowDefinition> workflowTopic = topics.workflows();
        view = new WorkflowView(
                consumer("workflow-view", null, workflowTopic, kafka, registry, Map.of()),
                workflowTopic.name(),
                POLL_TIMEOUT);
        resources.push(view);
        KafkaProducer<String, WorkflowDefinition> workflowProducer =
                producer("workflow-writer", workflowTopic, kafka, registry, config.workflowWriteTimeout(), Map.of());
        // the channels: connectors built from config, registered by channel name, closed on stop
        WebhookConnector webhook = new WebhookConnector(
                config.webhookConnectTimeout(),
                config.webhookRequestTimeout(),
                config.signingSecret().map(RequestSigner::new),
                Json.mapper(),
                clock);
        ChannelRegistry channels =
                ChannelRegistry.build(webhook, config.channels(), () -> taskProducer(kafka), Json.mapper(), clock);
        resources.push(channels);
        log.info("channels: {}", channels.channels());
        MessageTemplates templates = new MessageTemplates();
        // event triggers need the analytics query API to resolve an event's customer
        boolean eventTriggers = config.profiles().enabled();
        WorkflowStore store = new WorkflowStore(
                workflowProducer,
                workflowTopic.name(),
                view,
                config.workflowWriteTimeout(),
                clock,
                new WorkflowRules(
                        channels.channels(),
                        templates,
                        eventTriggers,
                        config.guardrails().ledgerRetention(),
                        config.limits().totalLookback()));
        metrics.workflowGauge(() -> view.catalog().size());

        // recent results
        Topic<String, ActivationResult> activations = topics.activations();
        ActivationHistory history = new ActivationHistory(
                consumer("history", null, activations, kafka, registry, Map.of()),
                activations.name(),
                config.historyLookback().isZero() ? null : clock.instant().minus(config.historyLookback()),
                POLL_TIMEOUT,
                new ActivationIndex(config.historyPerCustomer(), config.historyMaxCustomers()));
        resources.push(history);

        // dispatch
        // the ledger (idempotency and caps) on its compacted topic, partitioned like the membership topic
        Topic<String, SegmentMembershipChanged> membership = topics.segmentMembership();
        GuardrailConfig guard = config.guardrails();
        int membershipPartitions;
        String ledgerTopic = guard.ledgerTopic().orElse(config.groupId() + "-ledger");
        // replay requests of failed decisions (cx activations retry-dlq), read by the owner of the customer
        String retryTopic = config.groupId() + "-dlq-retries";
        try (Admin admin = Admin.create(kafka.admin(SERVICE + "-ledger-admin"))) {
            membershipPartitions = admin.describeTopics(java.util.List.of(membership.name()))
                    .allTopicNames()
                    .get(30, java.util.concurrent.TimeUnit.SECONDS)
                    .get(membership.name())
                    .partitions()
                    .size();
            KafkaLedger.ensureTopic(admin, ledgerTopic, membershipPartitions, Duration.ofSeconds(30));
            if (eventTriggers) {
                TriggerTopic.ensure(
                        admin,
                        config.eventTriggers().topicFor(config.groupId()),
                        membershipPartitions,
                        Duration.ofSeconds(30));
            }
            KafkaLedger.ensurePartitionedLikeMembership(
                    admin,
                    retryTopic,
                    membershipPartitions,
                    Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(RETRY_REQUEST_RETENTION.toMillis())),
                    Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing the ledger", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(
                    "cannot read the partitions of " + membership.name() + "; create the catalog topics first", e);
        }
        // every ledger write is waited for by the decision making it: no linger
        KafkaProducer<String, String> ledgerProducer = new KafkaProducer<>(
                kafka.producer(SERVICE + "-ledger", config.workflowWriteTimeout(), NO_LINGER),
                new StringSerializer(),
                new StringSerializer());
        LedgerCodec codec = new LedgerCodec(Json.mapper());
        KafkaLedger ledger = new KafkaLedger(
                ledgerProducer,
                stringConsumer(kafka, "ledger"),
                stringConsumer(kafka, "ledger-probe"),
                ledgerTopic,
                codec,
                clock,
                guard.ledgerRetention(),
                config.workflowWriteTimeout(),
                POLL_TIMEOUT);
        resources.push(ledger);
        ledger.start();
        FeedbackLoop feedback = FeedbackLoop.start(
                config.feedback(),
                config.groupId(),
                config.channels().email(),
                kafka,
                topics.events(),
                membershipPartitions,
                registry,
                metrics,
                clock,
                POLL_TIMEOUT);
        resources.push(feedback);

        // guardrails: the suppression list follows cx.privacy.v1
        SuppressionList suppression = new SuppressionList(guard.suppressed());
        if (guard.followPrivacy()) {
            Topic<String, PrivacyRequest> privacy = topics.privacy();
            TopicFollower<PrivacyRequest> privacyFollower = new TopicFollower<>(
                    consumer("privacy", null, privacy, kafka, registry, Map.of()),
                    privacy.name(),
                    null,
                    POLL_TIMEOUT,
                    r -> {
                        if (r.value() != null) {
                            suppression.apply(r.value());
                            feedback.apply(r.value());
                        }
                    },
                    "cx-activation-privacy");
            resources.push(privacyFollower);
            privacyFollower.start(() -> {
                privacyLoaded = true;
                startDispatcher();
            });
        } else {
            privacyLoaded = true;
        }
        // workflow limits: perCustomer from the ledger, total from the SENT results of every instance
        WorkflowUsage usage = new WorkflowUsage(
                clock,
                config.limits().totalLookback(),
                Duration.ofMinutes(5).plus(config.retry().worstCaseWaiting()));
        resources.push(usage);
        Guardrails guardrails =
                new Guardrails(guard, suppression, id -> view.catalog().limits(id), usage);

        // the latest profile at send time, from the analytics query API (activation.profiles.url)
        ProfileClient profileClient = config.profiles().url().isPresent()
                ? new ProfileClient(
                        config.profiles().url().get(), config.profiles().requestTimeout(), Json.mapper())
                : null;
        SendTimeProfiles profiles = profileClient != null
                ? SendTimeProfiles.of(profileClient, config.profiles().maxWait())
                : SendTimeProfiles.none();
        resources.push(profiles);
        log.info(
                "latest profiles at send time: {}",
                config.profiles().url().map(u -> "from " + u).orElse("off (the trigger's snapshot only)"));

        // an outcome's result is waited for before the ledger records the outcome: no linger
        KafkaProducer<String, ActivationResult> resultProducer =
                producer("results", activations, kafka, registry, KafkaSettings.DEFAULT_DELIVERY_TIMEOUT, NO_LINGER);
        DecisionExecutor executor = new DecisionExecutor(
                feedback.wrap(channels.asMap()),
                templates,
                config.retry(),
                feedback.sink(new KafkaResultSink(
                        resultProducer,
                        activations.name(),
                        topics.activationsDlq().name())),
                metrics,
                clock,
                new SplittableRandom(),
                guardrails,
                ledger,
                codec,
                guard.cancelWhenLeft(),
                profiles);
        // longer than one decision's attempts (each bounded by its channel's timeouts) and their waits
        Duration recoveryAge = Duration.ofMinutes(5).plus(config.retry().worstCaseWaiting());
        scheduler = new DeferredScheduler(
                ledger,
                partitions -> {
                    try {
                        return ledger.awaitCaughtUp(partitions, Duration.ofSeconds(30));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                },
                executor,
                codec,
                clock,
                membershipPartitions,
                guard.deferredPoll(),
                recoveryAge);
        // dead-letter replays: requests applied by the owner of the customer's partition, run by the scheduler
        RetryRequests retries = new RetryRequests(
                new KafkaConsumer<>(
                        kafka.consumer(SERVICE + "-dlq-retries", retryTopic, Map.of()),
                        new StringDeserializer(),
                        new StringDeserializer()),
                retryTopic,
                ledger,
                clock);
        this.retries = retries;
        KafkaProducer<String, String> retryProducer = new KafkaProducer<>(
                kafka.producer(SERVICE + "-dlq-retry-requests", config.workflowWriteTimeout(), NO_LINGER),
                new StringSerializer(),
                new StringSerializer());
        resources.push(() -> retryProducer.close(Duration.ofSeconds(5)));
        Topic<String, ActivationResult> dlq = topics.activationsDlq();
        DlqReplay replay = new DlqReplay(
                () -> new KafkaConsumer<>(
                        kafka.consumer(SERVICE + "-dlq-reader", null, Map.of()),
                        dlq.keySerde().deserializer(),
                        dlq.valueSerde().deserializer()),
                dlq.name(),
                ledger,
                retryProducer,
                retryTopic,
                clock,
                config.workflowWriteTimeout());
        dispatcher = new Dispatcher(
                consumer(
                        "dispatch",
                        config.groupId(),
                        membership,
                        kafka,
                        registry,
                        Map.of(
                                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                                config.maxPollRecords(),
                                // co-partitioning: partition p of the membership and trigger topics go together
                                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                                RangeAssignor.class.getName(),
                                // partitions are paused while their task runs; a resumed one joins the next fetch,
                                // which must not wait long on the others (one fetch in flight per broker)
                                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                                DISPATCH_FETCH_MAX_WAIT_MS)),
                membership.name(),
                view::catalog,
                executor,
                metrics,
                POLL_TIMEOUT,
                config.batchBudget(),
                config.shutdownGrace(),
                Dispatcher.PartitionListener.all(scheduler, retries));
        resources.push(dispatcher);
        resources.push(scheduler);
        if (eventTriggers) {
            String triggerTopic = config.eventTriggers().topicFor(config.groupId());
            dispatcher.alsoConsume(triggerTopic);
            Topic<String, TouchpointEvent> events = topics.events();
            bridge = new EventTriggerBridge(
                    consumer(
                            "event-triggers",
                            config.eventTriggers().groupFor(config.groupId()),
                            events,
                            EventTriggerBridge.decodingWhenTriggered(
                                    events.valueSerde().deserializer(), view::catalog),
                            kafka,
                            registry,
                            // the bridge places a partition the group never read at its own start time
                            Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest")),
                    events.name(),
                    producer(
                            "event-trigger-writer",
                            membership,
                            kafka,
                            registry,
                            KafkaSettings.DEFAULT_DELIVERY_TIMEOUT,
                            Map.of()),
                    triggerTopic,
                    view::catalog,
                    new CustomerResolver(profileClient, config.eventTriggers().resolveTimeout()),
                    new KafkaResultSink(
                            resultProducer,
                            activations.name(),
                            topics.activationsDlq().name()),
                    metrics,
                    clock,
                    config.eventTriggers().maxAge(),
                    config.eventTriggers().concurrency(),
                    POLL_TIMEOUT);
            resources.push(bridge);
            log.info(
                    "event triggers: {} -> {} (customers resolved by {})",
                    events.name(),
                    triggerTopic,
                    profileClient.baseUrl());
        }
        resources.push(retries);

        Health health = new Health();
        health.readiness(
                "workflows",
                () -> view.isCaughtUp() && view.isRunning()
                        ? Health.Status.up(view.catalog().size() + " workflow(s)")
                        : Health.Status.down(
                                view.isRunning() ? "loading " + workflowTopic.name() : "workflow view stopped"));
        health.readiness(
                "dispatcher",
                () -> dispatcher.isRunning()
                        ? Health.Status.UP
                        : Health.Status.down(
                                dispatcherStarted
                                        ? "not polling " + membership.name()
                                        : "waiting for the workflow view, the suppression list and the workflow"
                                                + " usage"));
        if (bridge != null) {
            health.readiness(
                    "event-triggers",
                    () -> bridge.isRunning()
                            ? Health.Status.UP
                            : Health.Status.down(
                                    dispatcherStarted
                                            ? "not polling " + topics.events().name()
                                            : "waiting to start"));
        }
        health.readiness(
                "history",
                () -> history.isRunning()
                        ? Health.Status.UP
                        : Health.Status.down("not following " + activations.name()));
        health.readiness("recipients", feedback::health);
        health.readiness(
                "ledger",
                () -> ledger.isRunning() ? Health.Status.UP : Health.Status.down("not following " + ledger.topic()));
        health.liveness(
                "threads",
                () -> view.isRunning()
                                && ledger.isRunning()
                                && usage.isRunning()
                                && (!dispatcherStarted
                                        || (dispatcher.isAlive()
                                                && scheduler.isAlive()
                                                && (bridge == null || bridge.isAlive())
                                                && retries.isAlive()))
                        ? Health.Status.UP
                        : Health.Status.down("a consumer loop stopped"));

        AdminAuth auth = new AdminAuth(platform.common().adminToken());
        http = HttpServer.start(
                HttpServer.Settings.of(SERVICE, config.host(), config.port()).withMaxRequestBytes(MAX_REQUEST_BYTES),
                health,
                registry,
                routes -> {
                    ActivationRoutes.register(routes, store, history, auth);
                    FeedbackRoutes.register(routes, feedback.endpoints());
                    DlqRoutes.register(routes, replay);
                });
        resources.push(http);

        view.start(() -> {
            workflowsLoaded = true;
            startDispatcher();
        });
        history.start();
        usage.follow(
                consumer("workflow-usage", null, topics.activations(), kafka, registry, Map.of()),
                topics.activations().name(),
                POLL_TIMEOUT,
                () -> {
                    usageLoaded = true;
                    startDispatcher();
                });
    }

    /**
     * Runs once the workflow view and the suppression list have caught up with their topics:
     * membership changes are read only from then on (a suppressed customer is never activated while
     * the list is still loading).
     */
    private void startDispatcher() {
        synchronized (lifecycle) {
            if (closed.get() || dispatcherStarted || !workflowsLoaded || !privacyLoaded || !usageLoaded) {
                return;
            }
            dispatcherStarted = true;
            dispatcher.start();
            scheduler.start();
            if (bridge != null) {
                bridge.start();
            }
            retries.start();
        }
        log.info(
                "workflow view caught up ({} workflow(s)); dispatching",
                view.catalog().size());
    }

    private KafkaConsumer<String, String> stringConsumer(KafkaSettings kafka, String name) {
        return new KafkaConsumer<>(
                kafka.consumer(SERVICE + "-" + name, null, Map.of()),
                new StringDeserializer(),
                new StringDeserializer());
    }

    /** The producer of agent-task records (JSON bytes), idempotent with {@code acks=all}. */
    private Producer<String, byte[]> taskProducer(KafkaSettings kafka) {
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                kafka.producer(SERVICE + "-agent-tasks", KafkaSettings.DEFAULT_DELIVERY_TIMEOUT, Map.of()),
                new StringSerializer(),
                new ByteArraySerializer());
        // closed after the registry (pushed later, popped first), so the connector never sees it closed
        resources.push(() -> producer.close(Duration.ofSeconds(5)));
        return producer;
    }

    private <V extends SpecificRecord> KafkaConsumer<String, V> consumer(
            String name,
            String groupId,
            Topic<String, V> topic,
            KafkaSettings kafka,
            PrometheusMeterRegistry registry,
            Map<String, ?> overrides) {
        return consumer(name, groupId, topic, topic.valueSerde().deserializer(), kafka, registry, overrides);
    }

    /** A consumer of {@code topic} whose values {@code values} reads. */
    private <V extends SpecificRecord> KafkaConsumer<String, V> consumer(
            String name,
            String groupId,
            Topic<String, V> topic,
            Deserializer<V> values,
            KafkaSettings kafka,
            PrometheusMeterRegistry registry,
            Map<String, ?> overrides) {
        KafkaConsumer<String, V> consumer = new KafkaConsumer<>(
                kafka.consumer(SERVICE + "-" + name, groupId, overrides),
                topic.keySerde().deserializer(),
                values);
        KafkaClientMetrics binder = Metrics.bind(registry, consumer);
        resources.push(binder::close);
        return consumer;
    }

    private <V extends SpecificRecord> KafkaProducer<String, V> producer(
            String name,
            Topic<String, V> topic,
            KafkaSettings kafka,
            PrometheusMeterRegistry registry,
            Duration deliveryTimeout,
            Map<String, ?> overrides) {
        KafkaProducer<String, V> producer = new KafkaProducer<>(
                kafka.producer(SERVICE + "-" + name, deliveryTimeout, overrides),
                topic.keySerde().serializer(),
                topic.valueSerde().serializer());
        resources.push(() -> producer.close(Duration.ofSeconds(5)));
        KafkaClientMetrics binder = Metrics.bind(registry, producer);
        resources.push(binder::close);
        return producer;
    }

    /** {@code http://127.0.0.1:<port>} of the HTTP API. */
    public String baseUrl() {
        return http.baseUrl();
    }

    /**
     * Stops the service: HTTP first, then the dispatcher (in-flight deliveries are interrupted and
     * finished records committed), the views, the producers and the metrics. Idempotent.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
        }
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("closing {} failed", resource, e);
            }
        }
        log.info("{} stopped", SERVICE);
    }
}
