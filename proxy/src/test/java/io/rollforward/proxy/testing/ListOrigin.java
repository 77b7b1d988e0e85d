package io.rollforward.proxy.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A stateful web application for the ordering tests and the bench: append-only lists.
 * {@code POST /<anything>/items} appends the request body (bodies over 64 characters: their CRC32)
 * to the list of that path when it has
 * been "processed" (after a delay of up to {@code jitter}, as a real application's work takes),
 * and answers {@code {"count":N}}; {@code GET /<anything>/items} lists the entries one a line;
 * {@code GET /stamp} answers {@code {"ts":<nanoTime>,"ok":true}} (differs on every call, for the
 * divergence rules). Requests are served concurrently, so without ordering two POSTs may be
 * applied in a different order than they arrived.
 *
 * <p>Every request start and end is journaled with a global sequence number: the tests read
 * overlap and order from the journal, never from wall-clock time. No dependency beyond the JDK, so
 * the bench runs it as a source file: {@code java ListOrigin.java PORT [JITTER_MS]}.
 */
public final class ListOrigin implements AutoCloseable {
    static {
        // The JDK server writes head and body in two sends: without this, Nagle's algorithm and the
        // peer's delayed ACK stall each reply by ~40ms.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** One journal line: {@code seq} orders every event of this origin. */
    public record Event(long seq, String what, String path, String body) {
    }

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newFixedThreadPool(16);
    private final ScheduledExecutorService work = Executors.newScheduledThreadPool(4);
    private final Map<String, List<String>> lists = new ConcurrentHashMap<>();
    private final List<Event> journal = new CopyOnWriteArrayList<>();
    private final AtomicLong seq = new AtomicLong();
    private final long jitterNanos;
    private final long fixedNanos;
    private volatile Predicate<String> hangOn = body -> false;
    private volatile Predicate<String> failOn = body -> false;

    /**
     * @param jitter up to this much random processing time per POST
     * @param fixed  this much processing time per POST, on top
     */
    public ListOrigin(Duration jitter, Duration fixed) throws IOException {
        this(0, jitter, fixed);
    }

    private ListOrigin(int port, Duration jitter, Duration fixed) throws IOException {
        this.jitterNanos = jitter.toNanos();
        this.fixedNanos = fixed.toNanos();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        server.setExecutor(handlers);
        server.createContext("/", this::handle);
        server.start();
    }

    public static void main(String[] args) throws IOException {
        Duration jitter = Duration.ofMillis(args.length > 1 ? Long.parseLong(args[1]) : 0);
        ListOrigin origin = new ListOrigin(Integer.parseInt(args[0]), jitter, Duration.ZERO);
        System.out.println("list origin on " + origin.port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** POSTs whose body matches are never answered (a master that times out on them). */
    public void hangOn(Predicate<String> bodies) {
        hangOn = bodies;
    }

    /** POSTs whose body matches get 500 and append nothing (an application error on this replica only). */
    public void failOn(Predicate<String> bodies) {
        failOn = bodies;
    }

    /** The list of {@code path}, in the order the entries were applied. */
    public List<String> list(String path) {
        List<String> l = lists.get(path);
        synchronized (lists) {
            return l == null ? List.of() : List.copyOf(l);
        }
    }

    public List<Event> journal() {
        return List.copyOf(journal);
    }

    /** Bodies of the POSTs that reached this origin, in arrival order. */
    public List<String> received() {
        return journal.stream().filter(e -> e.what().equals("start")).map(Event::body).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String method = exchange.getRequestMethod();
        if (method.equals("GET") && path.equals("/stamp")) {
            reply(exchange, 200, "{\"ts\":" + System.nanoTime() + ",\"ok\":true}");
        } else if (method.equals("GET") && path.endsWith("/items")) {
            reply(exchange, 200, String.join("\n", list(path)));
        } else if (method.equals("POST") && path.endsWith("/items")) {
            journal.add(new Event(seq.incrementAndGet(), "start", path, body));
            if (hangOn.test(body)) {
                return; // never answered; closed when the origin stops
            }
            if (failOn.test(body)) {
                journal.add(new Event(seq.incrementAndGet(), "end", path, body));
                reply(exchange, 500, "{\"error\":\"refused\"}");
                return;
            }
            long delay = fixedNanos + (jitterNanos > 0 ? ThreadLocalRandom.current().nextLong(jitterNanos) : 0);
            work.schedule(() -> apply(exchange, path, body), delay, TimeUnit.NANOSECONDS);
        } else {
            reply(exchange, 404, "no such thing");
        }
    }

    private void apply(HttpExchange exchange, String path, String body) {
        int count;
        synchronized (lists) {
            List<String> l = lists.computeIfAbsent(path, p -> new ArrayList<>());
            l.add(entry(body));
            count = l.size();
        }
        journal.add(new Event(seq.incrementAndGet(), "end", path, body));
        try {
            reply(exchange, 200, "{\"count\":" + count + "}");
        } catch (IOException e) {
            exchange.close(); // the proxy went away: the entry is applied all the same, as in a real app
        }
    }

    /** Short bodies as they are; long ones (the bench's 1 KiB) by their CRC32, to bound memory. */
    private static String entry(String body) {
        if (body.length() <= 64) {
            return body;
        }
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        return "crc32:" + Long.toHexString(crc.getValue());
    }

    private static void reply(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        work.shutdownNow();
        handlers.shutdownNow();
    }
}
