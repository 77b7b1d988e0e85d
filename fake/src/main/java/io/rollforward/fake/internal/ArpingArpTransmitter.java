package io.rollforward.fake.internal;

import io.rollforward.fake.GarpForm;
import io.rollforward.fake.VipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Sends gratuitous ARP with iputils {@code arping}: {@code -U} for the request form, {@code -A}
 * for the reply form. The fallback when libpcap cannot be loaded. arping binds the VIP as source
 * address, so it works only after the VIP is assigned.
 *
 * <p>arping lingers about a second after its one packet waiting for replies; waiting for it would
 * stretch a 200ms burst to seconds, so each run is started and reaped in the background and its
 * failure is logged when it exits.
 */
public final class ArpingArpTransmitter implements ArpTransmitter {
    private static final Logger log = LoggerFactory.getLogger(ArpingArpTransmitter.class);
    private static final Duration PREFLIGHT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(3);

    private final String iface;
    private final String vip;
    private final List<String> wrapper;
    private final Set<Process> running = ConcurrentHashMap.newKeySet();

    /**
     * @param wrapper command prefix, empty in production; tests use {@code ip netns exec NS}
     */
    public ArpingArpTransmitter(String iface, String vip, List<String> wrapper) {
        this.iface = iface;
        this.vip = vip;
        this.wrapper = List.copyOf(wrapper);
    }

    /** Checks that arping runs at all, so a missing package shows at start-up. */
    public void preflight() {
        ExternalCommand.Result result = ExternalCommand.run(ExternalCommand.wrapped(wrapper, "arping", "-V"), PREFLIGHT_TIMEOUT);
        if (!result.ok()) {
            throw new VipException("'arping -V' failed (exit " + result.exitCode() + "): " + result.output()
                    + " (install iputils-arping)");
        }
    }

    @Override
    public void send(GarpForm form) {
        List<String> command = ExternalCommand.wrapped(wrapper, "arping",
                form == GarpForm.REQUEST ? "-U" : "-A", "-c", "1", "-I", iface, vip);
        File out;
        Process process;
        try {
            out = File.createTempFile("rollforward-arping", ".out");
            process = ExternalCommand.start(command, out);
        } catch (IOException e) {
            throw new VipException("cannot run arping (" + e.getMessage() + "); install iputils-arping", e);
        }
        running.add(process);
        process.onExit().whenComplete((p, error) -> {
            running.remove(process);
            if (p != null && p.exitValue() != 0) {
                log.warn("'{}' exited {}: {}", String.join(" ", command), p.exitValue(), read(out));
            }
            if (!out.delete()) {
                out.deleteOnExit();
            }
        });
    }

    @Override
    public String kind() {
        return "arping";
    }

    /** Lets arping runs still in flight finish (bounded), then kills any left. */
    @Override
    public void close() {
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        for (Process process : List.copyOf(running)) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.waitFor(left, TimeUnit.NANOSECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    private static String read(File out) {
        try {
            return Files.readString(out.toPath(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }
}
