package io.rollforward.proxy.cli;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Blocks the main thread until SIGTERM or Ctrl-C, then runs the stop action once and returns, so
 * the process exits 0 after a graceful stop (a JVM stopped through its shutdown hooks exits 143).
 * SIGHUP, when a reload action is given, runs it on the signal's thread each time.
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
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        if (onReload != null) {
            Signal.handle(new Signal("HUP"), s -> {
                log.info("{}: SIGHUP, reloading the config", name);
                onReload.run();
            });
        }
        stop.await();
        onStop.run();
    }
}
