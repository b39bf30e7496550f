package io.dynamicrag.command.axon;

import com.github.benmanes.caffeine.cache.Caffeine;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;

import java.util.Objects;
import java.util.concurrent.ConcurrentMap;

/**
 * Axon's aggregate {@link Cache} on a bounded Caffeine map. Axon's own in-memory choice, the WeakReferenceCache,
 * loses its entries at every garbage collection, which under load is every few hundred milliseconds, so an aggregate
 * handling a run of commands was loaded from the event store for nearly each one. Entry listeners are not offered:
 * the caching repository does not use them.
 */
public final class CaffeineAggregateCache implements Cache {

    private final ConcurrentMap<Object, Object> entries;

    public CaffeineAggregateCache(long maximumEntries) {
        this.entries = Caffeine.newBuilder().maximumSize(maximumEntries).build().asMap();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> V get(K key) {
        return (V) entries.get(key);
    }

    @Override
    public void put(Object key, Object value) {
        entries.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    }

    @Override
    public boolean putIfAbsent(Object key, Object value) {
        return entries.putIfAbsent(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value")) == null;
    }

    @Override
    public boolean remove(Object key) {
        return entries.remove(key) != null;
    }

    @Override
    public void removeAll() {
        entries.clear();
    }

    @Override
    public boolean containsKey(Object key) {
        return entries.containsKey(key);
    }

    @Override
    public Registration registerCacheEntryListener(EntryListener cacheEntryListener) {
        throw new UnsupportedOperationException("the aggregate cache offers no entry listeners");
    }
}
