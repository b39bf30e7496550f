package io.dynamicrag.bench.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** One line describing where figures were measured: CPU, cores, memory, load, JVM, time. */
public final class MachineFacts {

    private MachineFacts() {
    }

    public static String describe() {
        String cpu = read("/proc/cpuinfo").lines().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
        String memory = read("/proc/meminfo").lines().filter(l -> l.startsWith("MemTotal"))
                .map(l -> l.replaceAll("\\D+", "")).map(kb -> Long.parseLong(kb) / 1024 / 1024 + " GiB")
                .findFirst().orElse("? GiB");
        String load = read("/proc/loadavg").trim();
        return String.format("machine: %s, %d cores, %s RAM, load average %s, Java %s, %s", cpu,
                Runtime.getRuntime().availableProcessors(), memory,
                load.isEmpty() ? "?" : String.join(" ", java.util.Arrays.copyOf(load.split(" "), 3)),
                System.getProperty("java.version"), Instant.now());
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
