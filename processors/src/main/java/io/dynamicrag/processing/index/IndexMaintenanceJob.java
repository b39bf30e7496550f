package io.dynamicrag.processing.index;

import io.dynamicrag.kernel.ids.TenantId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Runs {@link IndexMaintenance} off the request path, one index generation at a time on its own thread (index
 * builds are CPU heavy; one at a time leaves the other core to ingestion and search). A pass covers all of the
 * generation's datasets ({@code chunks.lance}, {@code versions.lance}, {@code catalog.lance}) and runs:
 * <ul>
 *   <li>after every {@code writesPerPass} writes to the generation (so a tenant loading many documents gets its
 *       indexes and compaction while it loads), and</li>
 *   <li>in a sweep every {@code interval} over every generation one of whose datasets changed since its last pass,
 *       or whose last pass is older than {@code revisitAfter} (old versions age past the retention without new
 *       writes).</li>
 * </ul>
 * Only the worker role runs it, and only for the tenants whose index this node writes ({@link TenantIndexOwnership}):
 * maintenance commits to the dataset like any write. API-only processes just read.
 */
public final class IndexMaintenanceJob implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IndexMaintenanceJob.class);

    private final MaintainedDatasets datasets;
    private final Duration interval;
    private final int writesPerPass;
    private final Duration revisitAfter;
    private final Clock clock;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "index-maintenance");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<Path, Integer> writesSincePass = new ConcurrentHashMap<>();
    private final Set<Path> requested = ConcurrentHashMap.newKeySet();
    private final Map<Path, LastPass> lastPasses = new ConcurrentHashMap<>();
    private final Predicate<TenantId> writesHere;
    private final Map<String, Totals> totals = new ConcurrentHashMap<>();

    public IndexMaintenanceJob(MaintainedDatasets datasets, Duration interval, int writesPerPass,
                               Duration revisitAfter, Clock clock) {
        this(datasets, interval, writesPerPass, revisitAfter, clock, tenant -> true);
    }

    /** {@code writesHere}: whether this node writes the tenant's index now (only then does it maintain it). */
    public IndexMaintenanceJob(MaintainedDatasets datasets, Duration interval, int writesPerPass,
                               Duration revisitAfter, Clock clock, Predicate<TenantId> writesHere) {
        this.writesHere = Objects.requireNonNull(writesHere, "writesHere");
        this.datasets = Objects.requireNonNull(datasets, "datasets");
        if (interval == null || interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("rag.index.maintenance-interval must be positive, was " + interval);
        }
        if (writesPerPass < 1) {
            throw new IllegalArgumentException("rag.index.maintenance-after-writes must be at least 1, was "
                    + writesPerPass);
        }
        this.interval = interval;
        this.writesPerPass = writesPerPass;
        this.revisitAfter = Objects.requireNonNull(revisitAfter, "revisitAfter");
        this.clock = Objects.requireNonNull(clock, "clock");
        for (TenantDataset dataset : TenantDataset.values()) {
            totals.put(dataset.fileName(), new Totals());
        }
    }

    /** Starts the periodic sweep (the first one after one interval). */
    public void start() {
        executor.scheduleWithFixedDelay(this::sweepQuietly, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Counts a committed write to a generation; every {@code writesPerPass}-th one queues a pass for it. */
    public void written(MaintainedDataset dataset) {
        int writes = writesSincePass.merge(dataset.path(), 1, Integer::sum);
        if (writes >= writesPerPass) {
            writesSincePass.remove(dataset.path());
            request(dataset);
        }
    }

    /** Queues one pass for the dataset unless one is already queued. */
    public void request(MaintainedDataset dataset) {
        if (requested.add(dataset.path())) {
            try {
                executor.execute(() -> {
                    requested.remove(dataset.path());
                    maintainQuietly(dataset);
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                requested.remove(dataset.path()); // shutting down
            }
        }
    }

    /**
     * One sweep, in the calling thread: maintains every generation that changed since its last pass or whose last
     * pass is older than {@code revisitAfter}. Returns how many generations were maintained.
     */
    public int sweep() {
        int maintained = 0;
        List<MaintainedDataset> all = datasets.list();
        for (MaintainedDataset dataset : all) {
            LastPass last = lastPasses.get(dataset.path());
            if (last != null && !isDue(dataset, last)) {
                continue;
            }
            if (maintainQuietly(dataset)) {
                maintained++;
            }
        }
        lastPasses.keySet().retainAll(all.stream().map(MaintainedDataset::path).toList());
        return maintained;
    }

    private boolean isDue(MaintainedDataset dataset, LastPass last) {
        if (last.at().plus(revisitAfter).isBefore(clock.instant())) {
            return true;
        }
        try {
            return !datasets.latestVersions(dataset).equals(last.versions());
        } catch (RuntimeException e) {
            return true;
        }
    }

    private void sweepQuietly() {
        try {
            int maintained = sweep();
            if (maintained > 0) {
                log.debug("Index maintenance sweep: {} datasets maintained", maintained);
            }
        } catch (RuntimeException e) {
            log.warn("Index maintenance sweep failed: {}", e.toString());
        }
    }

    private boolean maintainQuietly(MaintainedDataset dataset) {
        long started = System.nanoTime();
        try {
            if (!writesHere.test(dataset.tenant())) {
                lastPasses.remove(dataset.path());
                return false; // another node writes this tenant's index, and maintains it
            }
            IndexMaintenance.Outcome outcome = datasets.maintain(dataset);
            if (outcome == null) {
                lastPasses.remove(dataset.path());
                return false; // gone (tenant deleted, or never written)
            }
            lastPasses.put(dataset.path(), new LastPass(outcome.versions(), clock.instant()));
            outcome.each().forEach(each -> totals.computeIfAbsent(each.dataset(), name -> new Totals()).add(each));
            if (outcome.changedAnything()) {
                log.info("Maintained generation {} of tenant {} in {} ms: {}", dataset.generation(), dataset.tenant(),
                        (System.nanoTime() - started) / 1_000_000, outcome.summary());
            }
            return true;
        } catch (RuntimeException e) {
            log.warn("Index maintenance of tenant {} failed (retried on the next sweep): {}", dataset.tenant(),
                    e.toString());
            lastPasses.remove(dataset.path());
            return false;
        }
    }

    /** Stops the sweep; a pass in progress finishes (Lance commits are atomic either way). */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * What the passes of this job did to one kind of dataset since it started, by file name ({@code chunks.lance},
     * {@code versions.lance}, {@code catalog.lance}): the source of the maintenance metrics.
     */
    public Totals totals(String dataset) {
        return totals.computeIfAbsent(dataset, name -> new Totals());
    }

    /** Running counts of one kind of dataset. */
    public static final class Totals {
        private final AtomicLong passes = new AtomicLong();
        private final AtomicLong compactions = new AtomicLong();
        private final AtomicLong versionsRemoved = new AtomicLong();
        private final AtomicLong bytesRemoved = new AtomicLong();

        void add(IndexMaintenance.Outcome outcome) {
            passes.incrementAndGet();
            if (outcome.compacted()) {
                compactions.incrementAndGet();
            }
            versionsRemoved.addAndGet(outcome.versionsRemoved());
            bytesRemoved.addAndGet(outcome.bytesRemoved());
        }

        public long passes() {
            return passes.get();
        }

        public long compactions() {
            return compactions.get();
        }

        public long versionsRemoved() {
            return versionsRemoved.get();
        }

        public long bytesRemoved() {
            return bytesRemoved.get();
        }
    }

    private record LastPass(Map<String, Long> versions, Instant at) {
    }
}
