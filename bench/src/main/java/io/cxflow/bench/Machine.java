package io.cxflow.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.stream.Stream;

/** What every benchmark prints about the machine it ran on, and the odd file chore they share. */
public final class Machine {

    private Machine() {}

    /**
     * The header line: {@code cxflow <what> benchmark, <date>; <n> cores (<cpu>), <os>, Java <version> (<vm>); load
     * average <1 5 15 min>}.
     */
    public static String header(String what, String loadAverage) {
        return String.format(
                "cxflow %s benchmark, %s; %d cores (%s), %s, Java %s (%s); load average %s",
                what,
                LocalDate.now(),
                Runtime.getRuntime().availableProcessors(),
                cpuModel(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                System.getProperty("java.version"),
                System.getProperty("java.vm.name"),
                loadAverage);
    }

    /** The CPU model from {@code /proc/cpuinfo}, else "unknown CPU". */
    public static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("unknown CPU");
        } catch (IOException | UncheckedIOException e) {
            return "unknown CPU";
        }
    }

    /** The 1, 5 and 15 minute load averages from {@code /proc/loadavg}, else "unknown". */
    public static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Deletes a folder and everything in it, as far as it can (a leftover in a temporary folder is harmless). */
    public static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a leftover in the temporary folder is harmless
                }
            });
        } catch (IOException e) {
            // likewise
        }
    }
}
