package io.cxflow.activation.channel;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxflow.activation.channel.audience.AudienceConfig;
import io.cxflow.activation.channel.audience.AudienceConnector;
import io.cxflow.activation.channel.email.EmailConfig;
import io.cxflow.activation.channel.email.EmailConnector;
import io.cxflow.activation.channel.push.PushConfig;
import io.cxflow.activation.channel.push.PushConnector;
import io.cxflow.activation.channel.sms.SmsConfig;
import io.cxflow.activation.channel.sms.SmsConnector;
import io.cxflow.activation.channel.task.AgentTaskConfig;
import io.cxflow.activation.channel.task.AgentTaskConnector;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channel connectors of one service, by channel name: the webhook always, every other channel
 * when its configuration is present. Closing the registry closes every connector (the audience
 * connector sends the batches it is gathering), in the reverse order of registration.
 */
public final class ChannelRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChannelRegistry.class);

    private final Map<String, ChannelConnector> connectors;

    /** A registry of the given connectors; names must be unique. */
    public ChannelRegistry(List<? extends ChannelConnector> connectors) {
        Map<String, ChannelConnector> byName = new LinkedHashMap<>();
        for (ChannelConnector connector : connectors) {
            if (byName.putIfAbsent(connector.channel(), connector) != null) {
                throw new IllegalArgumentException("two connectors for channel " + connector.channel());
            }
        }
        this.connectors = Collections.unmodifiableMap(byName);
    }

    /** The channel configurations of a deployment; an empty one turns its channel off. */
    public record Settings(
            Optional<EmailConfig> email,
            Optional<SmsConfig> sms,
            Optional<PushConfig> push,
            Optional<AudienceConfig> audience,
            Optional<AgentTaskConfig> agentTask) {

        public Settings {
            Objects.requireNonNull(email, "email");
            Objects.requireNonNull(sms, "sms");
            Objects.requireNonNull(push, "push");
            Objects.requireNonNull(audience, "audience");
            Objects.requireNonNull(agentTask, "agentTask");
        }

        /** The names of the channels these settings turn on, besides the webhook. */
        public Set<String> names() {
            Set<String> names = new TreeSet<>();
            email.ifPresent(c -> names.add(EmailConnector.CHANNEL));
            sms.ifPresent(c -> names.add(SmsConnector.CHANNEL));
            push.ifPresent(c -> names.add(PushConnector.CHANNEL));
            audience.ifPresent(c -> names.add(AudienceConnector.CHANNEL));
            agentTask.ifPresent(c -> names.add(AgentTaskConnector.CHANNEL));
            return names;
        }

        @Override
        public String toString() {
            // the configurations hold credentials: name the channels only
            return names().toString();
        }

        /** Only the webhook. */
        public static Settings none() {
            return new Settings(
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }
    }

    /**
     * Builds the connectors {@code settings} turn on, next to {@code webhook}. If one cannot be built,
     * those built so far are closed again.
     *
     * @param taskProducer opens the producer of agent-task records; called only when an agent-task
     *     topic is configured (the caller owns and closes it)
     */
    public static ChannelRegistry build(
            WebhookConnector webhook,
            Settings settings,
            Supplier<Producer<String, byte[]>> taskProducer,
            ObjectMapper mapper,
            Clock clock) {
        List<ChannelConnector> built = new ArrayList<>();
        built.add(webhook);
        try {
            settings.email().ifPresent(c -> built.add(new EmailConnector(c)));
            settings.sms().ifPresent(c -> built.add(new SmsConnector(c, mapper, clock)));
            settings.push().ifPresent(c -> built.add(new PushConnector(c, mapper, clock)));
            settings.audience().ifPresent(c -> built.add(AudienceConnector.of(c, mapper, clock)));
            settings.agentTask()
                    .ifPresent(c -> built.add(new AgentTaskConnector(
                            c,
                            c.topic().isPresent() ? Optional.of(taskProducer.get()) : Optional.empty(),
                            mapper,
                            clock)));
        } catch (RuntimeException e) {
            new ChannelRegistry(built).close();
            throw e;
        }
        return new ChannelRegistry(built);
    }

    /** The connector of {@code channel}, or {@code null} when it is not configured. */
    public ChannelConnector get(String channel) {
        return connectors.get(channel);
    }

    /** The configured channel names, sorted. */
    public Set<String> channels() {
        return Collections.unmodifiableSet(new TreeSet<>(connectors.keySet()));
    }

    /** The connectors by channel name. */
    public Map<String, ChannelConnector> asMap() {
        return connectors;
    }

    @Override
    public void close() {
        List<ChannelConnector> reversed = new ArrayList<>(connectors.values());
        Collections.reverse(reversed);
        for (ChannelConnector connector : reversed) {
            try {
                connector.close();
            } catch (RuntimeException e) {
                log.warn("closing the {} connector failed", connector.channel(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "ChannelRegistry" + channels();
    }
}
