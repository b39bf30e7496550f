package io.dynamicrag.query.search;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

/** The search pool of the API role, sized by {@code rag.search.*} (application.yml). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "rag.roles.api", havingValue = "true", matchIfMissing = true)
class SearchAdmissionConfiguration {

    @Bean(destroyMethod = "close")
    SearchAdmission searchAdmission(@Value("${rag.search.threads:0}") int threads,
                                    @Value("${rag.search.queue:64}") int queue,
                                    @Value("${rag.search.max-wait:PT5S}") Duration maxWait,
                                    @Value("${rag.search.timeout:PT20S}") Duration timeout) {
        return new SearchAdmission(new SearchAdmission.Settings(threads > 0 ? threads : defaultThreads(), queue,
                maxWait, timeout));
    }

    /**
     * A search is mostly CPU (embedding the query) and native scans that wait on the disk now and then: a few threads
     * per core keep the cores busy without letting searches crowd out the pipeline.
     */
    static int defaultThreads() {
        return Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    }
}
