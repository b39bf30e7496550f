package io.dynamicrag.app.axon;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed pool of worker threads that takes turns between lanes (one lane per tenant): the next free thread runs
 * the oldest task of the lane whose turn it is, then the lane goes to the back of the line. A tenant that queues a
 * thousand steps delays another tenant's single step by at most one turn, not by a thousand steps.
 */
public class FairLaneExecutor implements AutoCloseable {

    private final Object lock = new Object();
    private final Map<String, ArrayDeque<Runnable>> queues = new HashMap<>();
    private final ArrayDeque<String> turns = new ArrayDeque<>();
    private final Thread[] workers;
    private volatile boolean running = true;

    public FairLaneExecutor(int threads, String name) {
        if (threads < 1) {
            throw new IllegalArgumentException("at least one thread");
        }
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
            if (!running) {
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
        while (running) {
            Runnable task;
            synchronized (lock) {
                while (running && turns.isEmpty()) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (!running) {
                    return;
                }
                String lane = turns.pollFirst();
                ArrayDeque<Runnable> queue = queues.get(lane);
                task = queue.pollFirst();
                if (queue.isEmpty()) {
                    queues.remove(lane);
                } else {
                    turns.addLast(lane);
                }
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                // the command bus reports a handler's failure through its callback; nothing may kill a worker
                org.slf4j.LoggerFactory.getLogger(FairLaneExecutor.class).error("Pipeline task failed", e);
            }
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            running = false;
            lock.notifyAll();
        }
    }
}
