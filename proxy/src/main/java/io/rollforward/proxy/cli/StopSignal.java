package io.rollforward.proxy.cli;

import java.util.concurrent.CountDownLatch;

/** Blocks the main thread until SIGTERM or Ctrl-C, then runs the stop action once. */
final class StopSignal {
    private StopSignal() {
    }

    static void await(String name, Runnable onStop) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                onStop.run();
            } finally {
                stopped.countDown();
            }
        }, name + "-stop"));
        stopped.await();
    }
}
