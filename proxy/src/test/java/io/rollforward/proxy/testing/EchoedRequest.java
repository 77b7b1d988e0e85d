package io.rollforward.proxy.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One request as an {@link ApacheInstance}'s echo CGI logged it: a line
 * {@code METHOD URI LENGTH SHA256} in {@code logs/echo.log}.
 *
 * @param bodySha256 lower-case hex SHA-256 of the request body as the CGI read it
 */
public record EchoedRequest(String method, String uri, long bodyLength, String bodySha256) {

    static List<EchoedRequest> readLog(Path echoLog) throws IOException {
        if (!Files.exists(echoLog)) {
            return List.of();
        }
        List<EchoedRequest> requests = new ArrayList<>();
        for (String line : Files.readAllLines(echoLog)) {
            String[] fields = line.split(" ");
            if (fields.length != 4) {
                throw new IOException(echoLog + ": unexpected echo log line: " + line);
            }
            requests.add(new EchoedRequest(fields[0], fields[1], Long.parseLong(fields[2]), fields[3]));
        }
        return List.copyOf(requests);
    }
}
