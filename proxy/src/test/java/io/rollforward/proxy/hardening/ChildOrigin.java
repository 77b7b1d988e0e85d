package io.rollforward.proxy.hardening;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A {@link TinyOrigin} in its own JVM, so a test can kill it with SIGKILL or freeze it with
 * SIGSTOP like a crashed or hung web server. Its output lines are collected by a reader thread.
 */
final class ChildOrigin implements AutoCloseable {
    private final Process process;
    final List<String> lines = new CopyOnWriteArrayList<>();
    private final int port;

    ChildOrigin(String name, TinyOrigin.Mode mode) throws IOException {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        process = new ProcessBuilder(java.toString(), "-Xmx64m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), TinyOrigin.class.getName(), name, mode.name())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        String first = out.readLine();
        if (first == null || !first.startsWith("PORT ")) {
            process.destroyForcibly();
            throw new IOException("child origin did not start: " + first);
        }
        port = Integer.parseInt(first.substring(5).trim());
        Thread reader = new Thread(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ended) {
                // the child died
            }
        }, "child-origin-reader");
        reader.setDaemon(true);
        reader.start();
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    void killHard() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    void signal(String sig) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + sig + " failed");
        }
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        try {
            signal("CONT"); // a stopped process cannot die until it runs again
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException justDied) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
