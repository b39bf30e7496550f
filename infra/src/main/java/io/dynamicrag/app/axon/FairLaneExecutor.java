package io.dynamicrag.app.axon;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed pool of worker threads that takes turns between lanes (one lane per tenant): the next free thread runs
 * the oldest task of the lane whose turn it is, then the lane goes to the back of the line. A tenant that queues a
 * thousand steps delays another tenant's single step by at most one turn, not by a thousand steps.
 *
 * <p>No lane runs on more than {@code threads - 1} threads at once (one thread alone: that one), so one thread is
 * always left for the other lanes. Taking turns alone did not keep tenants apart when one tenant's steps were
 * slow rather than many: with its OpenAI-wire server answering 429 with Retry-After, 500s or nothing until the
 * client's time-out, that tenant's embed steps held all four workers for tens of seconds each
 * ({@code scripts/drill.sh openai}), and the other tenants' documents waited behind them.
 */
public class FairLaneExecutor implements AutoCloseable {

    private final Object lock = new Object();
    private final Map<String, ArrayDeque<Runnable>> queues = new HashMap<>();
    private final ArrayDeque<String> turns = new ArrayDeque<>();
    /** Tasks running now, per lane (lanes with none are absent). */
    private final Map<String, Integer> running = new HashMap<>();
    private final int maxPerLane;
    private final Thread[] workers;
    private volatile boolean open = true;

    public FairLaneExecutor(int threads, String name) {
        if (threads < 1) {
            throw new IllegalArgumentException("at least one thread");
        }
        maxPerLane = Math.max(1, threads - 1);
        AtomicInteger n = new AtomicInteger();
        workers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = new Thread(this::work, name + "-" + n.incrementAndGet());
            workers[i].setDaemon(true);
            workers[i].start();
        }
    }

    public void execute(String lane, Runnable task) {
        synchronized (lock) {
            if (!open) {
                throw new IllegalStateException("the pipeline executor is shut down");
            }
            ArrayDeque<Runnable> queue = queues.computeIfAbsent(lane, l -> new ArrayDeque<>());
            if (queue.isEmpty()) {
                turns.addLast(lane);
            }
            queue.addLast(task);
            lock.notify();
        }
    }

    /** Tasks waiting (not yet running), over all lanes. */
    public int queued() {
        synchronized (lock) {
            return queues.values().stream().mapToInt(ArrayDeque::size).sum();
        }
    }

    private void work() {
        while (open) {
            String lane;
            Runnable task;
            synchronized (lock) {
                lane = nextLane();
                while (open && lane == null) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    lane = nextLane();
                }
                if (!open) {
                    return;
                }
                turns.remove(lane);
                ArrayDeque<Runnable> queue = queues.get(lane);
                task = queue.pollFirst();
                if (queue.isEmpty()) {
                    queues.remove(lane);
                } else {
                    turns.addLast(lane);
                }
                running.merge(lane, 1, Integer::sum);
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                // the command bus reports a handler's failure through its callback; nothing may kill a worker
                org.slf4j.LoggerFactory.getLogger(FairLaneExecutor.class).error("Pipeline task failed", e);
            } finally {
                synchronized (lock) {
                    running.computeIfPresent(lane, (l, count) -> count == 1 ? null : count - 1);
                    // a lane that was at its limit may run again
                    lock.notifyAll();
                }
            }
        }
    }

    /** The first lane in turn order that is below its limit of running tasks, or null. Caller holds the lock. */
    private String nextLane() {
        for (String lane : turns) {
            if (running.getOrDefault(lane, 0) < maxPerLane) {
                return lane;
            }
        }
        return null;
    }

    @Override
    public void close() {
        synchronized (lock) {
            open = false;
            lock.notifyAll();
        }
    }
}
