package io.rollforward.fake.internal;

import io.rollforward.fake.GarpForm;
import io.rollforward.fake.VipException;
import io.rollforward.process.Command;
import io.rollforward.process.CommandResult;
import io.rollforward.process.CommandRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Sends gratuitous ARP with iputils {@code arping}: {@code -U} for the request form, {@code -A}
 * for the reply form. The fallback when libpcap cannot be loaded. arping binds the VIP as source
 * address, so it works only after the VIP is assigned.
 *
 * <p>arping lingers about a second after its one packet waiting for replies; waiting for it would
 * stretch a 200ms burst to seconds, so each run is started on a {@link CommandRunner} of its own
 * and its failure is logged when it exits (a run that hangs is killed after {@link #RUN_TIMEOUT}).
 */
public final class ArpingArpTransmitter implements ArpTransmitter {
    private static final Logger log = LoggerFactory.getLogger(ArpingArpTransmitter.class);
    private static final Duration PREFLIGHT_TIMEOUT = Duration.ofSeconds(5);
    /** One arping run: one packet, then about a second of waiting for replies. */
    static final Duration RUN_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(3);

    private final String iface;
    private final String vip;
    private final List<String> wrapper;
    private final CommandRunner runner = CommandRunner.concurrent("arping");
    private final Set<CompletableFuture<CommandResult>> running = ConcurrentHashMap.newKeySet();

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
        CommandResult result = CommandRunner.run(arping(PREFLIGHT_TIMEOUT, "-V"));
        if (!result.ok()) {
            throw new VipException(result.describe() + " (install iputils-arping)");
        }
    }

    @Override
    public void send(GarpForm form) {
        CompletableFuture<CommandResult> run = runner.start(arping(RUN_TIMEOUT,
                form == GarpForm.REQUEST ? "-U" : "-A", "-c", "1", "-I", iface, vip));
        running.add(run);
        run.whenComplete((result, error) -> {
            running.remove(run);
            if (result != null && !result.ok()) {
                log.warn("{}", result.describe()
                        + (result.status() == CommandResult.Status.FAILED_TO_START ? " (install iputils-arping)" : ""));
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
        try {
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new))
                    .get(CLOSE_WAIT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.debug("arping runs left at close: {}", running.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            runner.close();
        }
    }

    private Command arping(Duration timeout, String... args) {
        // Parse-stable messages: arping prints localized text otherwise.
        return Command.of(timeout, Stream.concat(Stream.of("arping"), Stream.of(args)).toList()).prefixed(wrapper).withEnv("LC_ALL", "C");
    }
}
