package io.cxflow.deploy.cli;

import io.cxflow.deploy.local.LocalStack;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by {@code cx up} and {@code cx demo}. */
public final class StackOptions {

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "where the broker, registry and state stores keep their data (default: ${DEFAULT-VALUE})",
            defaultValue = ".cx-data")
    Path dataDir;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "a properties file overriding the local defaults (CX_* environment variables override it)")
    Path configFile;

    @Option(
            names = "--kafka-port",
            paramLabel = "PORT",
            defaultValue = "9092",
            description = "broker port (default: ${DEFAULT-VALUE})")
    int kafkaPort;

    @Option(
            names = "--registry-port",
            paramLabel = "PORT",
            defaultValue = "8085",
            description = "schema registry port (default: ${DEFAULT-VALUE})")
    int registryPort;

    @Option(
            names = "--registry-management-port",
            paramLabel = "PORT",
            defaultValue = "8086",
            description = "schema registry health port (default: ${DEFAULT-VALUE})")
    int registryManagementPort;

    @Option(
            names = "--collector-port",
            paramLabel = "PORT",
            defaultValue = "8080",
            description = "collector HTTP port (default: ${DEFAULT-VALUE})")
    int collectorPort;

    @Option(
            names = "--analytics-port",
            paramLabel = "PORT",
            defaultValue = "8081",
            description = "analytics HTTP port (default: ${DEFAULT-VALUE})")
    int analyticsPort;

    @Option(
            names = "--activation-port",
            paramLabel = "PORT",
            defaultValue = "8082",
            description = "activation HTTP port (default: ${DEFAULT-VALUE})")
    int activationPort;

    LocalStack.Options toOptions() {
        return new LocalStack.Options(
                dataDir.toAbsolutePath().normalize(),
                configFile,
                kafkaPort,
                registryPort,
                registryManagementPort,
                collectorPort,
                analyticsPort,
                activationPort);
    }
}
