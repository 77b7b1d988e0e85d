package io.rollforward.proxy.ha;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client of the HA namespace test, run as a child JVM in the client namespace:
 * {@code ProbeClientMain HOST PORT COUNT GAP_MS TIMEOUT_MS WORKERS}. Sends at most COUNT requests,
 * from WORKERS loops, each one request at a time on a new connection (as a browser after a
 * takeover would), GAP_MS apart, each bounded by TIMEOUT_MS; prints one line per request:
 * {@code start_ms end_ms ok ORIGIN_PORT} or {@code start_ms end_ms fail WHY} (wall clock ms,
 * comparable with the test's). The origin port tells which proxy served it. Stops by itself after COUNT requests, or at once
 * when stdin closes.
 */
public final class ProbeClientMain {
    private ProbeClientMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        long gap = Math.max(1, Long.parseLong(args[3])); // a fixed delay must be > 0
        int timeout = Integer.parseInt(args[4]);
        int workers = Integer.parseInt(args[5]);
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger sent = new AtomicInteger();
        ScheduledExecutorService executor = Executors.newScheduledThreadPool(workers);
        for (int w = 0; w < workers; w++) {
            executor.scheduleWithFixedDelay(() -> {
                if (sent.incrementAndGet() > count) {
                    done.countDown();
                    return;
                }
                long start = System.currentTimeMillis();
                String outcome = request(host, port, timeout);
                String line = start + " " + System.currentTimeMillis() + " " + outcome;
                synchronized (System.out) {
                    System.out.println(line);
                    System.out.flush();
                }
            }, 0, gap, TimeUnit.MILLISECONDS);
        }
        Thread stdinWatch = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the test closes stdin to stop us early
                }
            } catch (IOException ignored) {
                // same as end of input
            }
            done.countDown();
        });
        stdinWatch.setDaemon(true);
        stdinWatch.start();
        done.await();
        executor.shutdownNow();
        System.exit(0);
    }

    private static String request(String host, int port, int timeout) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), timeout);
            s.setSoTimeout(timeout);
            OutputStream out = s.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] reply = in.readAllBytes();
            String text = new String(reply, StandardCharsets.ISO_8859_1);
            int from = text.indexOf("ok from ");
            if (text.startsWith("HTTP/1.1 200") && from >= 0) {
                return "ok " + text.substring(from + "ok from ".length()).strip();
            }
            String first = text.isEmpty() ? "(empty reply)" : text.lines().findFirst().orElse("");
            return "fail " + first.replace(' ', '_');
        } catch (IOException e) {
            return "fail " + e.getClass().getSimpleName();
        }
    }
}
