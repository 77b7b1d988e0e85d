import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * How often two stateful replicas end up with their lists in a different order: ROUNDS rounds of
 * CLIENTS concurrent clients x POSTS sequential POSTs each through the proxy at PROXY_URL, each
 * round on its own path; then each origin's list is read directly and compared element by element.
 *
 * <p>{@code java bench/ordering/OrderingRounds.java PROXY_URL MASTER_URL BACKUP_URL ROUNDS [CLIENTS POSTS]}
 * prints one line per round and a summary line {@code ROUNDS_DIFFERING n/N POSITIONS_DIFFERING m/M}.
 */
public final class OrderingRounds {
    public static void main(String[] args) throws Exception {
        String proxy = args[0];
        String master = args[1];
        String backup = args[2];
        int rounds = Integer.parseInt(args[3]);
        int clients = args.length > 4 ? Integer.parseInt(args[4]) : 50;
        int posts = args.length > 5 ? Integer.parseInt(args[5]) : 20;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        String run = Long.toString(System.nanoTime(), 36);
        int differing = 0;
        long positions = 0;
        long total = 0;
        for (int r = 0; r < rounds; r++) {
            String path = "/" + run + "-r" + r + "/items";
            List<CompletableFuture<?>> chains = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                CompletableFuture<?> chain = CompletableFuture.completedFuture(null);
                for (int i = 0; i < posts; i++) {
                    String body = "c" + c + "-" + i;
                    chain = chain.thenCompose(x -> client.sendAsync(HttpRequest.newBuilder(URI.create(proxy + path))
                            .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.discarding()));
                }
                chains.add(chain);
            }
            CompletableFuture.allOf(chains.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            List<String> a = list(client, master + path, clients * posts);
            List<String> b = list(client, backup + path, clients * posts);
            int diff = 0;
            for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
                if (i >= a.size() || i >= b.size() || !a.get(i).equals(b.get(i))) {
                    diff++;
                }
            }
            if (diff > 0) {
                differing++;
            }
            positions += diff;
            total += Math.max(a.size(), b.size());
            System.out.println("round " + r + ": master " + a.size() + " entries, backup " + b.size()
                    + ", positions differing " + diff);
        }
        System.out.println("ROUNDS_DIFFERING " + differing + "/" + rounds + " POSITIONS_DIFFERING " + positions + "/" + total);
    }

    /** The origin's list, once it has all {@code expected} entries (the backup may still be applying). */
    private static List<String> list(HttpClient client, String url, int expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> entries;
        do {
            String body = client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
            entries = body.isEmpty() ? List.of() : List.of(body.split("\n"));
        } while (entries.size() < expected && System.nanoTime() < deadline);
        return entries;
    }
}
