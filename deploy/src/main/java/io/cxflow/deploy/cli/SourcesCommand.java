package io.cxflow.deploy.cli;

import io.cxflow.collector.CollectorConfig;
import io.cxflow.collector.source.Source;
import io.cxflow.deploy.local.LocalStack;
import io.cxflow.platform.CommonConfig;
import io.cxflow.platform.config.ConfigSource;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cx sources}: the event sources the collector accepts, with masked write keys. */
@Command(
        name = "sources",
        mixinStandardHelpOptions = true,
        description = {
            "List the configured event sources: id, default channel, allowed browser origins, rate limit and state."
                    + " Write keys are secrets and shown masked.",
            "Sources are declared as collector.sources.<id>.write-key|channel|allowed-origins|rate-limit|burst|enabled"
                    + " in the config file (or CX_COLLECTOR_SOURCES_<ID>_... variables)."
        })
public final class SourcesCommand implements Callable<Integer> {

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "the config file to read (default: the local defaults of 'cx up')")
    Path configFile;

    @Override
    public Integer call() {
        ConfigSource config = configFile == null
                ? LocalStack.layered(null, Map.of())
                : ConfigSource.fromEnvironment(configFile, Map.of());
        CommonConfig common = CommonConfig.from(config);
        CollectorConfig collector = CollectorConfig.from(config);
        System.out.printf("profile: %s%n", common.profile().name().toLowerCase());
        System.out.printf(
                "%-20s %-12s %-16s %-12s %-8s %s%n",
                "SOURCE", "CHANNEL", "WRITE KEY", "RATE LIMIT", "STATE", "ALLOWED ORIGINS");
        for (Source s : collector.sources()) {
            System.out.printf(
                    "%-20s %-12s %-16s %-12s %-8s %s%n",
                    s.id(),
                    s.channel(),
                    mask(s.writeKey(), common),
                    s.rateLimit() == 0 ? "none" : String.format("%.0f/s", s.rateLimit()),
                    s.enabled() ? "enabled" : "revoked",
                    s.allowedOrigins().isEmpty() ? "(no browsers)" : String.join(",", s.allowedOrigins()));
        }
        return 0;
    }

    /** The documented development keys are public knowledge and shown; real keys never. */
    static String mask(String key, CommonConfig common) {
        if (common.isLocal() && CommonConfig.DEV_WRITE_KEYS.contains(key)) {
            return key;
        }
        return "****";
    }
}
