package io.rollforward.heartbeat.agent;

import io.rollforward.config.AgentConfig.LocalCheck;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The agent's check of its own web server, as ldirectord's {@code request}/{@code receive}:
 * {@code GET url}, pass on the expected status and, if set, a body containing the expected text,
 * all within {@code timeout}. Blocking: run it on its own thread, never an event loop.
 */
public final class LocalHealthCheck {
    /** Bodies are read up to this many bytes; a test page is small. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    /** Outcome of one run; {@code detail} says why it failed, for the log. */
    public record Outcome(boolean passed, String detail) {
    }

    private final LocalCheck check;
    private final HttpClient client;

    public LocalHealthCheck(LocalCheck check) {
        this.check = Objects.requireNonNull(check, "check");
        this.client = HttpClient.newBuilder()
                .connectTimeout(check.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Runs the check once; never throws. */
    public Outcome run() {
        HttpRequest request = HttpRequest.newBuilder(check.url()).GET().timeout(check.timeout()).build();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            String body;
            try (InputStream in = response.body()) {
                body = new String(in.readNBytes(MAX_BODY_BYTES), StandardCharsets.UTF_8);
            }
            if (response.statusCode() != check.expectStatus()) {
                return new Outcome(false, "status " + response.statusCode() + " (expected: " + check.expectStatus() + ")");
            }
            if (check.receive().isPresent() && !body.contains(check.receive().get())) {
                return new Outcome(false, "body lacks \"" + check.receive().get() + "\"");
            }
            return new Outcome(true, "status " + response.statusCode());
        } catch (IOException e) {
            return new Outcome(false, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, "interrupted");
        } catch (RuntimeException e) {
            return new Outcome(false, e.toString());
        }
    }

    @Override
    public String toString() {
        return "GET " + check.url();
    }
}
