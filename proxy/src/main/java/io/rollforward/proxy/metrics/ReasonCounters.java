package io.rollforward.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One counter name with a {@code reason} tag (Armeria's "one meter name, many tags").
 *
 * <p>The reasons known up front are registered at once, so their zero-valued series exist from the
 * first scrape. A reason nobody foresaw is registered on first use, up to {@link #MAX_EXTRA_REASONS}
 * of them; past that it is counted under {@code other}, so a caller passing free text cannot blow up
 * the series count of the scrape.
 */
final class ReasonCounters {
    private static final Logger log = LoggerFactory.getLogger(ReasonCounters.class);

    /** How many reasons outside the known list may get their own series. */
    static final int MAX_EXTRA_REASONS = 16;
    static final String OTHER = "other";

    private final MeterRegistry registry;
    private final String name;
    private final String description;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Counter other;
    private final int limit;

    ReasonCounters(MeterRegistry registry, String name, String description, List<String> knownReasons) {
        this.registry = registry;
        this.name = name;
        this.description = description;
        for (String reason : knownReasons) {
            counters.put(reason, register(reason));
        }
        this.other = register(OTHER);
        counters.put(OTHER, other);
        this.limit = counters.size() + MAX_EXTRA_REASONS;
    }

    /** Counts one event; cheap for a known reason (one map lookup, no allocation). */
    void increment(String reason) {
        Counter counter = counters.get(reason);
        if (counter == null) {
            counter = unforeseen(reason);
        }
        counter.increment();
    }

    private Counter unforeseen(String reason) {
        String tag = reason == null ? OTHER : reason.toLowerCase(Locale.ROOT);
        Counter known = counters.get(tag);
        if (known != null) {
            return known;
        }
        if (counters.size() >= limit || !isTagValue(tag)) {
            return other;
        }
        return counters.computeIfAbsent(tag, t -> {
            log.warn("{}: reason '{}' is not among the known ones; counting it as its own series", name, t);
            return register(t);
        });
    }

    private static boolean isTagValue(String tag) {
        if (tag.isEmpty() || tag.length() > 40) {
            return false;
        }
        for (int i = 0; i < tag.length(); i++) {
            char c = tag.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private Counter register(String reason) {
        return Counter.builder(name).description(description).tag("reason", reason).register(registry);
    }
}
