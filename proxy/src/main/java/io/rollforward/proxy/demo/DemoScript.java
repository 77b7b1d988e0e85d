package io.rollforward.proxy.demo;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The scripted part of {@code rollforward demo}: ordinary requests, then slow requests in flight
 * while the master origin is killed, then requests with the master gone; prints what the client
 * saw for each, and a summary.
 */
public final class DemoScript {
    /** What the client saw over the whole script. */
    public record Tally(int sent, int ok, int byMaster, int byBackup, int failed) {
    }

    private static final int SLOW_REQUESTS = 10;
    private static final long SLOW_MS = 1500;

    private final URI proxy;
    private final SampleOrigin master;
    private final PrintStream out;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private int sent;
    private int ok;
    private int byMaster;
    private int byBackup;
    private int failed;

    public DemoScript(URI proxy, SampleOrigin master, PrintStream out) {
        this.proxy = proxy;
        this.master = master;
        this.out = out;
    }

    public Tally run() throws Exception {
        out.println();
        out.println("1) Five ordinary requests. The master's reply is returned; the backup runs each one too.");
        for (int i = 0; i < 5; i++) {
            report("GET /", send("/").join(), 0);
        }

        out.println();
        out.printf(Locale.ROOT, "2) %d slow requests (%d ms each) in flight, then the master origin is killed.%n",
                SLOW_REQUESTS, SLOW_MS);
        List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < SLOW_REQUESTS; i++) {
            slow.add(send("/slow?ms=" + SLOW_MS));
        }
        master.whenSlowInFlight(SLOW_REQUESTS).get(10, TimeUnit.SECONDS);
        master.kill();
        out.printf(Locale.ROOT, "   killed the master at +%.2f s with %d requests in flight%n", secondsSince(start), SLOW_REQUESTS);
        CompletableFuture.allOf(slow.toArray(new CompletableFuture[0])).exceptionally(t -> null).get(30, TimeUnit.SECONDS);
        int before = byBackup;
        for (int i = 0; i < slow.size(); i++) {
            report("GET /slow #" + (i + 1), slow.get(i).handle((r, t) -> r).join(), start);
        }
        out.printf(Locale.ROOT, "   %d of %d in-flight requests rolled forward to the backup's reply; none was re-executed.%n",
                byBackup - before, SLOW_REQUESTS);

        out.println();
        out.println("3) The master stays dead: new requests are answered by the backup.");
        for (int i = 0; i < 3; i++) {
            report("GET /", send("/").join(), 0);
        }

        out.println();
        out.printf(Locale.ROOT, "Summary: %d requests, %d answered with 200 (%d by the master, %d rolled forward to the backup), %d failed.%n",
                sent, ok, byMaster, byBackup, failed);
        return new Tally(sent, ok, byMaster, byBackup, failed);
    }

    private CompletableFuture<HttpResponse<String>> send(String path) {
        sent++;
        HttpRequest request = HttpRequest.newBuilder(proxy.resolve(path)).timeout(Duration.ofSeconds(30)).build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private void report(String what, HttpResponse<String> r, long startNanos) {
        String timing = startNanos == 0 ? "" : String.format(Locale.ROOT, " after %.2f s", secondsSince(startNanos));
        if (r == null) {
            failed++;
            out.printf(Locale.ROOT, "   %-14s -> no reply%s%n", what, timing);
            return;
        }
        String servedBy = r.headers().firstValue("X-Served-By").orElse("?");
        if (r.statusCode() == 200) {
            ok++;
            if (servedBy.equals("master")) {
                byMaster++;
            } else {
                byBackup++;
            }
        } else {
            failed++;
        }
        out.printf(Locale.ROOT, "   %-14s -> %d served by %-6s%s: %s%n", what, r.statusCode(), servedBy, timing, r.body().strip());
    }

    private static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
