package io.rollforward.heartbeat.serial;

import io.rollforward.config.SerialLink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two links over a real PTY pair made by socat (a null-modem cable in software), including
 * the cable going away (socat killed) and coming back (socat restarted on the same paths).
 */
class SerialHeartbeatLinkTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private Path endA;
    private Path endB;
    private Process socat;
    private final List<SerialHeartbeatLink> links = new ArrayList<>();

    @BeforeEach
    void startSocat() throws IOException {
        assumeTrue(socatPath() != null, "socat is not installed (apt-get install socat): no PTY pair to test over");
        endA = dir.resolve("ttyA");
        endB = dir.resolve("ttyB");
        socat = launchSocat();
    }

    @AfterEach
    void stop() throws InterruptedException {
        links.forEach(SerialHeartbeatLink::close);
        if (socat != null) {
            socat.destroy();
            if (!socat.waitFor(5, TimeUnit.SECONDS)) {
                socat.destroyForcibly();
            }
        }
    }

    @Test
    void framesCrossThePairIntactAndInOrder() {
        Received atA = new Received();
        Received atB = new Received();
        SerialHeartbeatLink a = link(endA, atA);
        SerialHeartbeatLink b = link(endB, atB);
        await().atMost(WAIT).until(() -> a.isOpen() && b.isOpen());

        Instant before = Instant.now();
        byte[] everyByte = new byte[256];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i;
        }
        assertThat(a.send(everyByte)).isTrue();
        assertThat(b.send("pong".getBytes(StandardCharsets.US_ASCII))).isTrue();
        await().atMost(WAIT).until(() -> atB.frames.size() == 1 && atA.frames.size() == 1);
        assertThat(atB.frames.get(0)).isEqualTo(everyByte);
        assertThat(atA.frames.get(0)).isEqualTo("pong".getBytes(StandardCharsets.US_ASCII));
        assertThat(atB.times.get(0)).isBetween(before, Instant.now());

        // A burst of binary frames of varying length, some starting with newline bytes.
        Random random = new Random(42);
        List<byte[]> burst = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            byte[] frame = new byte[1 + i * 7 % 300];
            random.nextBytes(frame);
            if (frame.length > 2) {
                frame[0] = '\n';
                frame[1] = '\r';
            }
            burst.add(frame);
            assertThat(a.send(frame)).as("send %d", i).isTrue();
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(atB.frames)
                .as("frames at B (A sent %d, dropped %d)", a.framesSent(), a.sendsDropped())
                .hasSize(1 + burst.size()));
        assertThat(atB.frames.subList(1, atB.frames.size())).containsExactlyElementsOf(burst);
        assertThat(a.framesSent()).isEqualTo(1 + burst.size());
        assertThat(b.framesReceived()).isEqualTo(1 + burst.size());
        assertThat(a.sendsDropped()).isZero();
        assertThatThrownBy(() -> a.send(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void losingTheCableClosesOnceAndReopensWhenItReturns() throws Exception {
        Received atA = new Received();
        Received atB = new Received();
        SerialHeartbeatLink a = link(endA, atA);
        SerialHeartbeatLink b = link(endB, atB);
        await().atMost(WAIT).until(() -> a.isOpen() && b.isOpen());
        a.send(new byte[] {1});
        await().atMost(WAIT).until(() -> atB.frames.size() == 1);

        socat.destroy();
        assertThat(socat.waitFor(5, TimeUnit.SECONDS)).isTrue();

        await().atMost(WAIT).until(() -> !a.isOpen() && !b.isOpen()
                && a.disconnects() == 1 && b.disconnects() == 1);
        assertThat(a.send(new byte[] {2})).as("send while down").isFalse();
        // No busy loop: once closed, jSerialComm's disconnect callbacks stop and no further
        // disconnect is handled while the cable is gone (reopen attempts just fail).
        long eventsA = a.disconnectEvents();
        long eventsB = b.disconnectEvents();
        System.out.printf("disconnect callbacks after socat died: A=%d B=%d%n", eventsA, eventsB);
        assertThat(eventsA).isLessThan(10_000);
        assertThat(eventsB).isLessThan(10_000);
        await().during(Duration.ofMillis(800)).atMost(WAIT).until(() ->
                a.disconnectEvents() == eventsA && b.disconnectEvents() == eventsB
                        && a.disconnects() == 1 && b.disconnects() == 1
                        && !a.isOpen() && !b.isOpen());

        Files.deleteIfExists(endA);
        Files.deleteIfExists(endB);
        socat = launchSocat();
        await().atMost(WAIT).until(() -> a.isOpen() && b.isOpen());
        assertThat(a.send(new byte[] {3})).isTrue();
        await().atMost(WAIT).until(() -> atB.frames.size() == 2);
        assertThat(atB.frames.get(1)).containsExactly(3);
        assertThat(a.disconnects()).isEqualTo(1);
    }

    @Test
    void aMissingDeviceIsRetriedNotFatal() {
        Received received = new Received();
        SerialHeartbeatLink missing = link(dir.resolve("no-such-tty"), received);
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> !missing.isOpen());
        assertThat(missing.send(new byte[] {1})).isFalse();
        assertThat(missing.disconnects()).isZero();
    }

    private SerialHeartbeatLink link(Path device, Received received) {
        SerialHeartbeatLink link = new SerialHeartbeatLink(new SerialLink(device.toString(), 115200), received,
                Clock.systemUTC(), Duration.ofMillis(50), Duration.ofMillis(400));
        links.add(link);
        link.start();
        return link;
    }

    private Process launchSocat() throws IOException {
        File logFile = dir.resolve("socat-" + System.nanoTime() + ".log").toFile();
        Process p = new ProcessBuilder(socatPath(), "-d", "-d",
                "pty,raw,echo=0,link=" + endA, "pty,raw,echo=0,link=" + endB)
                .redirectErrorStream(true)
                .redirectOutput(logFile)
                .start();
        await().atMost(WAIT).until(() -> Files.exists(endA) && Files.exists(endB));
        return p;
    }

    private static String socatPath() {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(d, "socat");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    private static final class Received implements SerialHeartbeatLink.FrameListener {
        final List<byte[]> frames = new CopyOnWriteArrayList<>();
        final List<Instant> times = new CopyOnWriteArrayList<>();

        @Override
        public void onFrame(byte[] frame, Instant receivedAt) {
            times.add(receivedAt);
            frames.add(frame);
        }
    }
}
