package io.cxflow.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AnalyticsMain} as a process: how it refuses to start. Running and stopping it is in {@link DeterminismIT}. */
class AnalyticsMainTest {

    private record Exit(int code, String output) {}

    @Test
    void shouldExitWithTwoNamingTheKeyWhenTheConfigurationIsInvalid(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("analytics.properties");
        Files.writeString(config, "cx.profile=local\nadmin.token=dev-admin\nanalytics.port=eighty\n");

        Exit exit = run(dir, config.toString());

        assertThat(exit.code()).isEqualTo(2);
        assertThat(exit.output())
                .contains("analytics cannot start")
                .contains("analytics.port")
                .contains("eighty");
    }

    @Test
    void shouldExitWithTwoNamingTheFileWhenItIsMissing(@TempDir Path dir) throws Exception {
        Exit exit = run(dir, dir.resolve("missing.properties").toString());

        assertThat(exit.code()).isEqualTo(2);
        assertThat(exit.output()).contains("config file not found").contains("missing.properties");
    }

    @Test
    void shouldPrintUsageForMoreThanOneArgument(@TempDir Path dir) throws Exception {
        Exit exit = run(dir, "a.properties", "b.properties");

        assertThat(exit.code()).isEqualTo(2);
        assertThat(exit.output()).contains("usage: java io.cxflow.analytics.AnalyticsMain [config.properties]");
    }

    private static Exit run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                AnalyticsMain.class.getName()));
        command.addAll(List.of(args));
        Path log = dir.resolve("out.log");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("CX_"));
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("AnalyticsMain did not exit: " + Files.readString(log));
        }
        return new Exit(process.exitValue(), Files.readString(log));
    }
}
