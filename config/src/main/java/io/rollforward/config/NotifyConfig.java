package io.rollforward.config;

import java.time.Duration;
import java.util.List;

/**
 * Commands run on a role change, like keepalived's {@code notify_master}/{@code notify_backup};
 * each is an argv list, empty = none. Run off the event loop, killed after {@code timeout}
 * (default 10s).
 */
public record NotifyConfig(List<String> active, List<String> standby, List<String> leaving, Duration timeout) {
    public static final NotifyConfig NONE = new NotifyConfig(List.of(), List.of(), List.of(), Duration.ofSeconds(10));

    public NotifyConfig {
        active = active == null ? List.of() : List.copyOf(active);
        standby = standby == null ? List.of() : List.copyOf(standby);
        leaving = leaving == null ? List.of() : List.copyOf(leaving);
    }
}
