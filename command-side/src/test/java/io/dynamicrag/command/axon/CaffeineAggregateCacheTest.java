package io.dynamicrag.command.axon;

import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class CaffeineAggregateCacheTest {

    @Test
    void keepsEntriesAndTellsListenersOfEveryChange() {
        CaffeineAggregateCache cache = new CaffeineAggregateCache(100);
        List<String> heard = new CopyOnWriteArrayList<>();
        Registration registration = cache.registerCacheEntryListener(new Cache.EntryListenerAdapter() {
            @Override
            public void onEntryCreated(Object key, Object value) {
                heard.add("created " + key + "=" + value);
            }

            @Override
            public void onEntryUpdated(Object key, Object value) {
                heard.add("updated " + key + "=" + value);
            }

            @Override
            public void onEntryRead(Object key, Object value) {
                heard.add("read " + key + "=" + value);
            }

            @Override
            public void onEntryRemoved(Object key) {
                heard.add("removed " + key);
            }
        });

        cache.put("a", 1);
        assertThat(cache.putIfAbsent("a", 9)).isFalse();
        assertThat(cache.putIfAbsent("b", 2)).isTrue();
        cache.put("a", 3);
        assertThat((Integer) cache.get("a")).isEqualTo(3);
        assertThat((Object) cache.get("missing")).isNull();
        assertThat(cache.remove("b")).isTrue();
        assertThat(cache.remove("b")).isFalse();
        cache.removeAll();
        assertThat(cache.containsKey("a")).isFalse();

        assertThat(heard).containsExactly("created a=1", "created b=2", "updated a=3", "read a=3", "removed b",
                "removed a");
        registration.cancel();
        cache.put("c", 4);
        assertThat(heard).hasSize(6);
    }
}
