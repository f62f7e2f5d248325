package io.cxflow.deploy.cli;

import io.cxflow.platform.CommonConfig;
import io.cxflow.platform.config.ConfigSource;
import io.cxflow.platform.kafka.KafkaSettings;
import io.cxflow.platform.kafka.TopicAdmin;
import io.cxflow.schemas.TopicSpec;
import io.cxflow.schemas.Topics;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cx topics}: the topic catalog. */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = "The topic catalog: list it, or create every topic on a cluster and report drift.",
        subcommands = {TopicsCommand.Apply.class, TopicsCommand.ListTopics.class})
public final class TopicsCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Options naming the cluster. */
    static final class ClusterOptions {
        @Option(
                names = "--bootstrap-servers",
                paramLabel = "HOST:PORT",
                description =
                        "Kafka bootstrap servers (default: kafka.bootstrap.servers from config/env, else 127.0.0.1:9092)")
        String bootstrap;

        @Option(
                names = "--prefix",
                paramLabel = "PREFIX",
                description = "topic name prefix (default: topics.prefix from config/env, else none)")
        String prefix;

        @Option(names = "--config", paramLabel = "FILE", description = "a properties file")
        Path configFile;

        @Option(
                names = "--replication-factor",
                paramLabel = "N",
                defaultValue = "1",
                description = "replication factor of created topics (default: ${DEFAULT-VALUE})")
        short replicationFactor;

        ConfigSource source() {
            Map<String, String> overrides = new HashMap<>();
            if (bootstrap != null) {
                overrides.put(CommonConfig.BOOTSTRAP_SERVERS.name(), bootstrap);
            }
            if (prefix != null) {
                overrides.put(CommonConfig.TOPIC_PREFIX.name(), prefix);
            }
            return ConfigSource.fromEnvironment(configFile, overrides);
        }
    }

    @Command(
            name = "apply",
            mixinStandardHelpOptions = true,
            description = "Create every catalog topic that is missing (idempotent) and report existing topics whose"
                    + " partitions, cleanup policy or retention differ from the catalog. Exit code 3 on drift.")
    static final class Apply implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        ClusterOptions cluster = new ClusterOptions();

        @Override
        public Integer call() {
            ConfigSource source = cluster.source();
            String bootstrap = source.get(CommonConfig.BOOTSTRAP_SERVERS);
            String prefix = source.get(CommonConfig.TOPIC_PREFIX);
            KafkaSettings kafka = new KafkaSettings(bootstrap, "cx-cli", source.get(CommonConfig.REGISTRY_URL));
            try (Admin admin = Admin.create(kafka.admin("topics"))) {
                TopicAdmin.ApplyReport report = TopicAdmin.apply(
                        admin, Topics.ALL, prefix, cluster.replicationFactor, TopicAdmin.DEFAULT_TIMEOUT);
                System.out.println(report.render());
                return report.hasDrift() ? 3 : 0;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Print the topic catalog.")
    static final class ListTopics implements Runnable {
        @Override
        public void run() {
            System.out.printf("%-28s %10s %-8s %-10s %s%n", "TOPIC", "PARTITIONS", "CLEANUP", "RETENTION", "VALUE");
            for (TopicSpec<String, ?> spec : Topics.ALL) {
                System.out.printf(
                        "%-28s %10d %-8s %-10s %s%n",
                        spec.baseName(),
                        spec.partitions(),
                        spec.cleanup().kafkaValue(),
                        spec.retention() == null ? "forever" : spec.retention().toDays() + "d",
                        spec.valueType().getSimpleName());
            }
            System.out.printf(
                    "%-28s %10d %-8s %-10s %s%n", "cx.segment.<id>.v1", 6, "delete", "7d", "SegmentMembershipChanged");
        }
    }
}
