package io.rollforward.config;

import java.time.Duration;

/**
 * Gratuitous ARP announcements after taking the VIP, after keepalived's
 * {@code garp_master_repeat}, {@code garp_master_delay}, {@code garp_master_refresh}.
 *
 * @param count             packets per burst, each in both forms (default 5)
 * @param interval          gap between packets of a burst (default 200ms)
 * @param secondBurstDelay  a second burst this long after the first; zero = none (default 0)
 * @param refresh           re-announce periodically while ACTIVE; zero = off (default 0)
 */
public record GarpConfig(int count, Duration interval, Duration secondBurstDelay, Duration refresh) {
    public static final GarpConfig DEFAULT = new GarpConfig(5, Duration.ofMillis(200), Duration.ZERO, Duration.ZERO);
}
