package io.rollforward.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The demo runs its script with nothing else installed, and every request is answered. */
class DemoCommandTest {
    private static final java.util.regex.Pattern LOG_LINE =
            java.util.regex.Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} +(TRACE|DEBUG|INFO|WARN|ERROR) ");

    @Test
    void theScriptsOutputHasNoLogLinesInItTheyGoToAFile() throws Exception {
        ByteArrayOutputStream script = new ByteArrayOutputStream();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        PrintStream capture = new PrintStream(console, true, StandardCharsets.UTF_8);
        int code;
        System.setOut(capture);
        System.setErr(capture);
        try {
            code = new CommandLine(new DemoCommand(new PrintStream(script, true, StandardCharsets.UTF_8)))
                    .execute("--port", "0", "--exit");
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        String text = script.toString(StandardCharsets.UTF_8);
        assertThat(code).as(text).isZero();
        String terminal = text + console.toString(StandardCharsets.UTF_8);
        assertThat(terminal.lines().filter(l -> LOG_LINE.matcher(l).find())).as("log lines on the terminal").isEmpty();
        java.util.regex.Matcher log = java.util.regex.Pattern.compile("Log of the run \\(WARN and above\\): (\\S+) \\(\\d+ lines\\)")
                .matcher(text);
        assertThat(log.find()).as(text).isTrue();
        java.nio.file.Path file = java.nio.file.Path.of(log.group(1));
        assertThat(java.nio.file.Files.readString(file)).contains("WARN").contains("replica master is now DOWN")
                .doesNotContain(" INFO ");
        java.nio.file.Files.delete(file);
    }

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
