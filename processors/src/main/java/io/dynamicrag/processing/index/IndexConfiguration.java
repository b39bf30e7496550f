package io.dynamicrag.processing.index;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

import java.time.Clock;
import java.time.Duration;

/** The {@code rag.index.*} settings and, in the worker role, the index maintenance job. */
@Configuration
public class IndexConfiguration {

    @Bean
    LanceTenantChunkIndex.Settings tenantIndexSettings(
            @Value("${rag.index.cache-size:100}") int cacheSize,
            @Value("${rag.index.idle-ttl:PT30M}") Duration idleTtl,
            @Value("${rag.index.refresh-after:PT0S}") Duration refreshAfter,
            @Value("${rag.index.ann-threshold:20000}") long annThreshold,
            @Value("${rag.index.ann-index-type:IVF_HNSW_SQ}") String annIndexType,
            @Value("${rag.index.compaction-min-fragments:16}") int compactionMinFragments,
            @Value("${rag.index.compaction-deleted-fraction:0.1}") double compactionDeletedFraction,
            @Value("${rag.index.retention:PT1H}") Duration retention) {
        return new LanceTenantChunkIndex.Settings(cacheSize, idleTtl, refreshAfter,
                new IndexMaintenance.Settings(annThreshold, IndexMaintenance.Settings.annIndexType(annIndexType),
                        compactionMinFragments, compactionDeletedFraction, retention));
    }

    @Bean
    TenantDatasets.SessionCaches lanceSessionCaches(
            @Value("${rag.index.session-index-cache:512MB}") DataSize indexCache,
            @Value("${rag.index.session-metadata-cache:16MB}") DataSize metadataCache) {
        return new TenantDatasets.SessionCaches(indexCache.toBytes(), metadataCache.toBytes());
    }

    /** Maintenance writes to Lance, so only worker processes run it; API-only processes just read. */
    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("${rag.roles.worker:true} and ${rag.index.maintenance.enabled:true}")
    IndexMaintenanceJob indexMaintenanceJob(TenantDatasets datasets,
                                            LanceTenantChunkIndex.Settings settings,
                                            @Value("${rag.index.maintenance.interval:PT5M}") Duration interval,
                                            @Value("${rag.index.maintenance.after-writes:50}") int afterWrites,
                                            TenantIndexOwnership ownership, TenantWriteLocks locks) {
        IndexMaintenanceJob job = new IndexMaintenanceJob(new LockedMaintainedDatasets(datasets, locks), interval,
                afterWrites, settings.maintenance().retention(), Clock.systemUTC(), ownership::owns);
        datasets.onWrite(job::written);
        job.start();
        return job;
    }
}
