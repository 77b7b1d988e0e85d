package io.rollforward.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The demo runs its script with nothing else installed, and every request is answered. */
class DemoCommandTest {
    @Test
    void scriptedFailoverAnswersEveryRequestAndRollsTheInFlightOnesForward() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int code = new CommandLine(new DemoCommand(out)).execute("--port", "0", "--exit");
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(code).as(text).isZero();
        assertThat(text)
                .contains("10 of 10 in-flight requests rolled forward to the backup's reply")
                .contains("Summary: 18 requests, 18 answered with 200 (5 by the master, 13 rolled forward to the backup), 0 failed.");
        assertThat(text.lines().filter(l -> l.contains("GET /slow #")))
                .hasSize(10)
                .allSatisfy(l -> assertThat(l).contains("-> 200 served by backup"));
    }
}
