package io.dynamicrag.command.axon;

import com.github.benmanes.caffeine.cache.Caffeine;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Axon's aggregate {@link Cache} on a bounded Caffeine map. Axon's own in-memory choice, the WeakReferenceCache,
 * loses its entries at every garbage collection, which under load is every few hundred milliseconds, so an aggregate
 * handling a run of commands was loaded from the event store for nearly each one. Entry listeners hear of every
 * change made through this cache; an entry Caffeine drops to stay within its bound counts as expired.
 */
public final class CaffeineAggregateCache implements Cache {

    private final List<EntryListener> listeners = new CopyOnWriteArrayList<>();
    private final ConcurrentMap<Object, Object> entries;

    public CaffeineAggregateCache(long maximumEntries) {
        this.entries = Caffeine.newBuilder().maximumSize(maximumEntries)
                .removalListener((key, value, cause) -> {
                    if (key != null && cause.wasEvicted()) {
                        listeners.forEach(listener -> listener.onEntryExpired(key));
                    }
                })
                .build().asMap();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> V get(K key) {
        Object value = entries.get(key);
        if (value != null) {
            listeners.forEach(listener -> listener.onEntryRead(key, value));
        }
        return (V) value;
    }

    @Override
    public void put(Object key, Object value) {
        Object previous = entries.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        if (previous == null) {
            listeners.forEach(listener -> listener.onEntryCreated(key, value));
        } else {
            listeners.forEach(listener -> listener.onEntryUpdated(key, value));
        }
    }

    @Override
    public boolean putIfAbsent(Object key, Object value) {
        boolean added = entries.putIfAbsent(Objects.requireNonNull(key, "key"),
                Objects.requireNonNull(value, "value")) == null;
        if (added) {
            listeners.forEach(listener -> listener.onEntryCreated(key, value));
        }
        return added;
    }

    @Override
    public boolean remove(Object key) {
        boolean removed = entries.remove(key) != null;
        if (removed) {
            listeners.forEach(listener -> listener.onEntryRemoved(key));
        }
        return removed;
    }

    @Override
    public void removeAll() {
        entries.keySet().forEach(this::remove);
    }

    @Override
    public boolean containsKey(Object key) {
        return entries.containsKey(key);
    }

    @Override
    public Registration registerCacheEntryListener(EntryListener cacheEntryListener) {
        EntryListener listener = Objects.requireNonNull(cacheEntryListener, "cacheEntryListener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
