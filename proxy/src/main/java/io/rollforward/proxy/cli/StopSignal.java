package io.rollforward.proxy.cli;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Blocks the main thread until SIGTERM or Ctrl-C, then runs the stop action once and returns, so
 * the process exits 0 after a graceful stop (a JVM stopped through its shutdown hooks exits 143).
 * SIGHUP, when a reload action is given, runs it on the signal's thread each time.
 *
 * <p>A signal the process inherited as ignored cannot be handled (a background job of a
 * non-interactive shell ignores SIGINT): it stays ignored. Should SIGTERM be one, the stop runs
 * from a shutdown hook as a fallback.
 */
final class StopSignal {
    private static final Logger log = LoggerFactory.getLogger(StopSignal.class);

    private StopSignal() {
    }

    static void await(String name, Runnable onStop) throws InterruptedException {
        await(name, onStop, null);
    }

    static void await(String name, Runnable onStop, Runnable onReload) throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        boolean term = handle("TERM", s -> stop.countDown());
        handle("INT", s -> stop.countDown());
        if (onReload != null) {
            handle("HUP", s -> {
                log.info("{}: SIGHUP, reloading the config", name);
                onReload.run();
            });
        }
        if (!term) {
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    onStop.run();
                } finally {
                    stopped.countDown();
                }
            }, name + "-stop"));
            stopped.await();
            return;
        }
        stop.await();
        onStop.run();
    }

    private static boolean handle(String signal, SignalHandler handler) {
        try {
            Signal.handle(new Signal(signal), handler);
            return true;
        } catch (IllegalArgumentException e) {
            log.debug("SIG{} is not handled here: {}", signal, e.getMessage());
            return false;
        }
    }
}
