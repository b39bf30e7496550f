package io.dynamicrag.app.usage;

import org.axonframework.spring.config.SpringAxonConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.context.SmartLifecycle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring stops lifecycles from the highest phase down. The meter's last flush must come after the web server has
 * drained its requests (their API calls are counted) and before Axon stops (the flush sends commands).
 */
class BufferedUsageMeterPhaseTest {

    /** Spring Boot's WebServerGracefulShutdownLifecycle and WebServerStartStopLifecycle phases. */
    private static final int WEB_SERVER_STOP = SmartLifecycle.DEFAULT_PHASE - 2048;

    @Test
    void flushesAfterTheWebServerAndBeforeAxonStop() {
        assertThat(BufferedUsageMeter.PHASE).isLessThan(WEB_SERVER_STOP)
                .isGreaterThan(SpringAxonConfiguration.LIFECYCLE_PHASE);
    }
}
