package io.rollforward.proxy.hardening;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deliberately small blocking HTTP/1.1 origin on loopback with one way of misbehaving, for fault
 * injection. Runs in-process, or as a child process ({@link #main}) that a test can kill -9 or
 * SIGSTOP; the child prints {@code PORT n} when listening and {@code GOT METHOD TARGET} for each
 * request head it read. Plain JDK sockets on its own threads: no Netty, no event loop.
 */
final class TinyOrigin implements AutoCloseable {
    enum Mode {
        /** 200 {@code from NAME len=BODY_BYTES}. */
        OK,
        /** Reads the request, never answers. */
        WAIT,
        /** Reads the request, resets the connection (SO_LINGER 0). */
        RST,
        /** Announces Content-Length 100, sends 5 bytes, closes. */
        TRUNCATE,
        /** The reply TRUNCATE promises, whole: 200, Content-Length 100, "short" then 95 'x'. */
        HUNDRED,
        /** 503. */
        STATUS_503,
        /** Accepts connections and never reads from them: the TCP window fills up. */
        NEVER_READ,
        /** 200 with a body of {@code bigBody} bytes. */
        BIG
    }

    private final String name;
    private final Mode mode;
    private final int bigBody;
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tiny-origin");
        t.setDaemon(true);
        return t;
    });
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    final List<String> journal = new CopyOnWriteArrayList<>();
    final AtomicInteger openConnections = new AtomicInteger();
    private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
    private final boolean printing;

    TinyOrigin(String name, Mode mode, int bigBody) throws IOException {
        this(name, mode, bigBody, false);
    }

    private TinyOrigin(String name, Mode mode, int bigBody, boolean printing) throws IOException {
        this.name = name;
        this.mode = mode;
        this.bigBody = bigBody;
        this.printing = printing;
        this.server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                openConnections.incrementAndGet();
                threads.execute(() -> serve(s));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            if (mode == Mode.NEVER_READ) {
                record("ACCEPTED");
                stopped.await(); // hold the connection unread until the origin is closed
                return;
            }
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                String requestLine = head.substring(0, head.indexOf("\r\n"));
                long length = contentLength(head);
                in.readNBytes((int) length);
                record("GOT " + requestLine.substring(0, requestLine.lastIndexOf(' ')));
                switch (mode) {
                    case WAIT -> {
                        in.transferTo(OutputStream.nullOutputStream()); // until the peer closes or we are killed
                        return;
                    }
                    case RST -> {
                        s.setSoLinger(true, 0);
                        return;
                    }
                    case TRUNCATE -> {
                        out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        return;
                    }
                    case HUNDRED -> write(out, 200, "OK", ("short" + "x".repeat(95)).getBytes(StandardCharsets.US_ASCII));
                    case STATUS_503 -> write(out, 503, "Service Unavailable", ("busy " + name).getBytes(StandardCharsets.US_ASCII));
                    case BIG -> {
                        byte[] body = new byte[bigBody];
                        java.util.Arrays.fill(body, (byte) 'b');
                        write(out, 200, "OK", body);
                    }
                    default -> write(out, 200, "OK", ("from " + name + " len=" + length).getBytes(StandardCharsets.US_ASCII));
                }
            }
        } catch (IOException gone) {
            // the proxy closed or reset the connection
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        } finally {
            sockets.remove(s);
            openConnections.decrementAndGet();
        }
    }

    private void record(String line) {
        journal.add(line);
        if (printing) {
            System.out.println(line);
            System.out.flush();
        }
    }

    private static void write(OutputStream out, int status, String reason, byte[] body) throws IOException {
        out.write(("HTTP/1.1 " + status + " " + reason + "\r\nContent-Length: " + body.length
                + "\r\nContent-Type: text/plain\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            b.append((char) c);
            if (b.length() >= 4 && b.lastIndexOf("\r\n\r\n") == b.length() - 4) {
                return b.toString();
            }
        }
        return null;
    }

    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Long.parseLong(line.substring(15).trim());
            }
        }
        return 0;
    }

    @Override
    public void close() {
        stopped.countDown();
        try {
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        threads.shutdownNow();
    }

    /** {@code TinyOrigin NAME MODE}: serves until killed or until standard input closes. */
    public static void main(String[] args) throws IOException {
        TinyOrigin origin = new TinyOrigin(args[0], Mode.valueOf(args[1]), 0, true);
        System.out.println("PORT " + origin.port());
        System.out.flush();
        // the parent test holds our stdin; when it goes away, so do we (no orphan origins)
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).transferTo(java.io.Writer.nullWriter());
        origin.close();
    }
}
