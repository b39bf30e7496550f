package io.dynamicrag.app.cluster;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;

/** This JVM as the cluster sees it: where it runs, its process id and when it started. */
record LocalProcess(String host, long pid, Instant startedAt) {

    static LocalProcess current() {
        return new LocalProcess(hostName(), ProcessHandle.current().pid(),
                Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()));
    }

    String defaultNodeId() {
        return host + "-" + pid;
    }

    boolean is(String otherHost, long otherPid) {
        return host.equals(otherHost) && pid == otherPid;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            // a container without a resolvable name of its own still has one in the environment
            String fromEnvironment = System.getenv("HOSTNAME");
            return fromEnvironment == null || fromEnvironment.isBlank() ? "localhost" : fromEnvironment;
        }
    }
}
