package io.dynamicrag.app.axon;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.BatchUpdateException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ConcurrentAppendRetrySchedulerTest {

    private final ConcurrentAppendRetryScheduler scheduler = ConcurrentAppendRetryScheduler.create(3);

    @AfterEach
    void stop() {
        scheduler.close();
    }

    @Test
    void retriesAConcurrentAppendWhateverItsCauses() throws Exception {
        // as PostgreSQL reports it: Axon's exception caused by the driver's batch failure
        RuntimeException conflict = new ConcurrencyException("already inserted",
                new BatchUpdateException("duplicate key", new int[0]));
        CountDownLatch retried = new CountDownLatch(1);
        boolean scheduled = scheduler.scheduleRetry(GenericCommandMessage.asCommandMessage("cmd"), conflict,
                failures(1), retried::countDown);
        assertThat(scheduled).isTrue();
        assertThat(retried.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(scheduler.scheduleRetry(GenericCommandMessage.asCommandMessage("cmd"),
                new CommandExecutionException("wrapped", conflict), failures(1), () -> { })).isTrue();
    }

    @Test
    void neverRetriesAnyOtherFailureNorAConflictPastTheLimit() {
        assertThat(scheduler.scheduleRetry(GenericCommandMessage.asCommandMessage("cmd"),
                new IllegalArgumentException("title is required"), failures(1), () -> { })).isFalse();
        assertThat(scheduler.scheduleRetry(GenericCommandMessage.asCommandMessage("cmd"),
                new ConcurrencyException("already inserted"), failures(4), () -> { })).isFalse();
    }

    @SuppressWarnings("unchecked")
    private static List<Class<? extends Throwable>[]> failures(int count) {
        List<Class<? extends Throwable>[]> failures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            failures.add(new Class[]{ConcurrencyException.class});
        }
        return failures;
    }
}
