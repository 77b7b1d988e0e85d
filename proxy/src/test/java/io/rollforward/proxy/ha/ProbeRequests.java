package io.rollforward.proxy.ha;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * What a {@link ProbeClientMain} child printed, one {@link Request} a line, and waiting on it:
 * shared by the namespace tests of the pair and of the ring.
 */
public final class ProbeRequests {
    private ProbeRequests() {
    }

    /** One probe request: wall-clock start and end ms, ok or not, the origin port (or why it failed). */
    public record Request(long start, long end, boolean ok, String detail) {
    }

    public static List<Request> of(ChildProcess probe) {
        List<Request> out = new ArrayList<>();
        for (String line : probe.text().split("\n")) {
            String[] w = line.trim().split(" ");
            if (w.length >= 3 && w[0].matches("\\d+") && w[1].matches("\\d+")) {
                out.add(new Request(Long.parseLong(w[0]), Long.parseLong(w[1]), w[2].equals("ok"),
                        w.length > 3 ? w[3] : ""));
            }
        }
        return out;
    }

    /** Waits for {@code n} successful requests started after {@code since} served from {@code ports}. */
    public static List<Request> awaitOk(ChildProcess probe, String ports, long since, int n, Duration atMost) {
        List<List<Request>> found = new ArrayList<>();
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(10)).until(() -> {
                List<Request> ok = of(probe).stream()
                        .filter(r -> r.ok() && r.start() > since && r.detail().matches(ports)).toList();
                found.add(ok);
                return ok.size() >= n;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no " + n + " replies from origin ports " + ports + "; probe output:\n"
                    + probe.tail(), e);
        }
        return found.get(found.size() - 1);
    }

    /** Closes the probe's stdin (it stops at once) and waits for it. */
    public static void stop(ChildProcess probe) throws IOException, InterruptedException {
        try (OutputStream in = probe.process.getOutputStream()) {
            in.flush();
        }
        probe.process.waitFor(10, TimeUnit.SECONDS);
    }
}
