import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Matches the slow requests of a sequential-latency run against a JFR recording of the proxy: for
 * each request slower than a threshold, what the JVM was doing while the client waited.
 *
 * <pre>
 *   java bench/tools/JfrStalls.java RECORDING.jfr SLOW_LOG [THRESHOLD_MS=1] [FAST_LOG]
 * </pre>
 *
 * SLOW_LOG lines are "index epoch_ms latency_ms" (bench/tools/seq_latency.py --slow-log; the
 * request was sent at epoch_ms). For the stalls, and for comparison for an equal number of
 * sampled windows between stalls, it counts the windows that overlap a GC pause, a safepoint, a
 * JIT compilation, a deoptimization, and which threads were on a CPU (execution samples) and where
 * the Netty event loops were (Java code, or epoll_wait in native code). Plain JDK: jdk.jfr.consumer.
 */
public final class JfrStalls {
    record Window(long startNs, long endNs, double latencyMs) {}

    record Span(long startNs, long endNs, String what, String thread) {}

    public static void main(String[] args) throws IOException {
        Path recording = Path.of(args[0]);
        double threshold = args.length > 2 ? Double.parseDouble(args[2]) : 1.0;
        List<Window> stalls = new ArrayList<>();
        List<Window> all = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[1]))) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 3) {
                continue;
            }
            long start = (long) (Double.parseDouble(f[1]) * 1_000_000L);
            double lat = Double.parseDouble(f[2]);
            Window w = new Window(start, start + (long) (lat * 1_000_000L), lat);
            all.add(w);
            if (lat > threshold) {
                stalls.add(w);
            }
        }
        if (stalls.isEmpty()) {
            System.out.println("no request slower than " + threshold + " ms");
            return;
        }
        long from = stalls.get(0).startNs - 2_000_000_000L;
        long to = stalls.get(stalls.size() - 1).endNs + 2_000_000_000L;
        List<Span> pauses = new ArrayList<>();
        List<Span> safepoints = new ArrayList<>();
        List<Span> compilations = new ArrayList<>();
        List<Span> deopts = new ArrayList<>();
        List<Span> samples = new ArrayList<>();
        List<Span> nativeSamples = new ArrayList<>();
        List<Span> cpuLoad = new ArrayList<>();
        try (RecordingFile rf = new RecordingFile(recording)) {
            while (rf.hasMoreEvents()) {
                RecordedEvent e = rf.readEvent();
                long s = nanos(e.getStartTime());
                long end = nanos(e.getEndTime());
                if (end < from || s > to) {
                    continue;
                }
                switch (e.getEventType().getName()) {
                    case "jdk.GCPhasePause" -> pauses.add(new Span(s, end, e.getString("name"), ""));
                    case "jdk.SafepointBegin" -> safepoints.add(new Span(s, end, "safepoint", ""));
                    case "jdk.Compilation" -> compilations.add(new Span(s, end,
                            e.getString("compiler") + " " + method(e), thread(e.getThread("eventThread"))));
                    case "jdk.Deoptimization" -> deopts.add(new Span(s, s, e.getString("reason") + " " + method(e),
                            thread(e.getThread("eventThread"))));
                    case "jdk.ExecutionSample" -> samples.add(new Span(s, s, top(e.getStackTrace()),
                            thread(e.getThread("sampledThread"))));
                    case "jdk.NativeMethodSample" -> nativeSamples.add(new Span(s, s, top(e.getStackTrace()),
                            thread(e.getThread("sampledThread"))));
                    case "jdk.CPULoad" -> cpuLoad.add(new Span(s, s, String.format("jvm %.0f%% machine %.0f%%",
                            100 * (e.getFloat("jvmUser") + e.getFloat("jvmSystem")), 100 * e.getFloat("machineTotal")), ""));
                    default -> { }
                }
            }
        }
        // the loop that served the connection: most execution samples inside the request windows
        Map<String, Integer> loopSamples = new HashMap<>();
        for (Span s : samples) {
            if (s.thread.contains("EventLoop") && inAny(s.startNs, all)) {
                loopSamples.merge(s.thread, 1, Integer::sum);
            }
        }
        String loop = loopSamples.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("?");
        System.out.printf("recording %s, %d requests in the slow log, %d slower than %.1f ms; event loop serving them: %s%n",
                recording.getFileName(), all.size(), stalls.size(), threshold, loop);
        report("stalls (> " + threshold + " ms)", stalls, pauses, safepoints, compilations, deopts, samples, nativeSamples, loop);
        List<Window> between = new ArrayList<>();
        for (int i = 0; i + 1 < stalls.size() && between.size() < stalls.size(); i++) {
            long gapStart = stalls.get(i).endNs + 1_000_000L;
            long gapEnd = stalls.get(i + 1).startNs - 1_000_000L;
            if (gapEnd - gapStart > 4_000_000L) {
                long mid = (gapStart + gapEnd) / 2;
                between.add(new Window(mid, mid + (long) (stalls.get(i).latencyMs * 1_000_000L), stalls.get(i).latencyMs));
            }
        }
        report("windows of equal length between stalls (control)", between, pauses, safepoints, compilations, deopts,
                samples, nativeSamples, loop);
        System.out.println();
        System.out.println("compilations overlapping a stall (compiler, method):");
        Map<String, Integer> comp = new TreeMap<>();
        for (Window w : stalls) {
            for (Span c : compilations) {
                if (overlaps(w, c)) {
                    comp.merge(c.what, 1, Integer::sum);
                }
            }
        }
        comp.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(15)
                .forEach(e -> System.out.println("  " + e.getValue() + "  " + e.getKey()));
        System.out.println("CPU load (jdk.CPULoad, once a second) during the run:");
        cpuLoad.stream().filter(c -> c.startNs >= stalls.get(0).startNs - 1_000_000_000L
                        && c.startNs <= stalls.get(stalls.size() - 1).endNs + 1_000_000_000L)
                .forEach(c -> System.out.println("  " + Instant.ofEpochSecond(0, c.startNs) + " " + c.what));
    }

    private static void report(String title, List<Window> windows, List<Span> pauses, List<Span> safepoints,
                               List<Span> compilations, List<Span> deopts, List<Span> samples,
                               List<Span> nativeSamples, String loop) {
        int gc = 0, sp = 0, jit = 0, deopt = 0, loopInJava = 0, loopInEpoll = 0;
        Map<String, Integer> onCpu = new HashMap<>();
        Map<String, Integer> loopFrames = new HashMap<>();
        double ms = 0;
        for (Window w : windows) {
            ms += w.latencyMs;
            if (pauses.stream().anyMatch(p -> overlaps(w, p))) gc++;
            if (safepoints.stream().anyMatch(p -> overlaps(w, p))) sp++;
            if (compilations.stream().anyMatch(p -> overlaps(w, p))) jit++;
            if (deopts.stream().anyMatch(p -> overlaps(w, p))) deopt++;
            boolean java = false, epoll = false;
            for (Span s : samples) {
                if (overlaps(w, s)) {
                    onCpu.merge(group(s.thread), 1, Integer::sum);
                    if (s.thread.equals(loop)) {
                        java = true;
                        loopFrames.merge(s.what, 1, Integer::sum);
                    }
                }
            }
            for (Span s : nativeSamples) {
                if (s.thread.equals(loop) && overlaps(w, s) && s.what.contains("epollWait")) {
                    epoll = true;
                }
            }
            if (java) loopInJava++;
            if (epoll) loopInEpoll++;
        }
        System.out.println();
        System.out.printf("%s: %d windows, %.1f ms in all%n", title, windows.size(), ms);
        System.out.printf("  overlapping a GC pause: %d, a safepoint: %d, a JIT compilation: %d, a deoptimization: %d%n",
                gc, sp, jit, deopt);
        System.out.printf("  the serving event loop sampled in Java code: %d windows; sampled waiting in epoll_wait: %d windows%n",
                loopInJava, loopInEpoll);
        System.out.println("  JVM threads sampled on CPU inside these windows (thread group: samples): " + top(onCpu, 8));
        System.out.println("  the serving loop's top frames inside these windows: " + top(loopFrames, 8));
    }

    private static String top(Map<String, Integer> counts, int n) {
        StringBuilder sb = new StringBuilder();
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(n)
                .forEach(e -> sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey()).append(": ").append(e.getValue()));
        return sb.length() == 0 ? "none" : sb.toString();
    }

    private static String group(String thread) {
        return thread.replaceAll("-?\\d+(-\\d+)*$", "");
    }

    private static boolean inAny(long t, List<Window> windows) {
        for (Window w : windows) {
            if (t >= w.startNs && t <= w.endNs) {
                return true;
            }
        }
        return false;
    }

    private static boolean overlaps(Window w, Span s) {
        return s.startNs <= w.endNs && s.endNs >= w.startNs;
    }

    private static long nanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    private static String thread(RecordedThread t) {
        return t == null ? "?" : String.valueOf(t.getJavaName());
    }

    private static String method(RecordedEvent e) {
        var m = e.getValue("method");
        if (m instanceof jdk.jfr.consumer.RecordedMethod rm) {
            return rm.getType().getName() + "." + rm.getName();
        }
        return "?";
    }

    private static String top(RecordedStackTrace st) {
        if (st == null || st.getFrames().isEmpty()) {
            return "?";
        }
        RecordedFrame f = st.getFrames().get(0);
        return f.getMethod().getType().getName().replaceAll(".*\\.", "") + "." + f.getMethod().getName();
    }
}
