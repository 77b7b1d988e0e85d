package io.rollforward.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HeartbeatCodecTest {
    private static final AuthKey KEY = AuthKey.of("correct horse battery staple".getBytes(StandardCharsets.UTF_8));
    private static final long NOW = 1_790_000_000_000L;

    private final AtomicLong wallClock = new AtomicLong(NOW);
    private final RecordingEvents events = new RecordingEvents();
    private final HeartbeatCodec codec = new HeartbeatCodec(KEY, Duration.ofSeconds(10), wallClock::get, events);

    private static HeartbeatPacket packet(String node, long generation, long seq) {
        return HeartbeatPacket.of(node, NodeState.ACTIVE, generation, seq, NOW - 5, OptionalInt.of(7));
    }

    private HeartbeatPacket accepted(DecodeResult r) {
        assertThat(r).isInstanceOf(DecodeResult.Accepted.class);
        return ((DecodeResult.Accepted) r).packet();
    }

    private RejectReason rejected(DecodeResult r) {
        assertThat(r).isInstanceOf(DecodeResult.Rejected.class);
        return ((DecodeResult.Rejected) r).reason();
    }

    @Test
    void roundTripKeepsEveryField() {
        HeartbeatPacket p = packet("proxy-a", NOW - 60_000, 42);
        assertThat(accepted(codec.decode(codec.encode(p)))).isEqualTo(p);

        HeartbeatPacket noLoad = HeartbeatPacket.of("web-1 ü", NodeState.DOWN, NOW - 60_000, 43, NOW, OptionalInt.empty());
        assertThat(accepted(codec.decode(codec.encode(noLoad)))).isEqualTo(noLoad);
        assertThat(events.rejectedTotal()).isZero();
    }

    @Test
    void decodeFromByteBufLeavesOwnershipAndIndexWithCaller() {
        HeartbeatPacket p = packet("proxy-a", 1, 1);
        ByteBuf buf = codec.encode(p, Unpooled.buffer().alloc());
        try {
            int readerIndex = buf.readerIndex();
            assertThat(accepted(codec.decode(buf))).isEqualTo(p);
            assertThat(buf.readerIndex()).isEqualTo(readerIndex);
            assertThat(buf.refCnt()).isEqualTo(1);
        } finally {
            buf.release();
        }
    }

    @Test
    void everyStateCodeSurvivesTheWire() {
        long seq = 1;
        for (NodeState s : NodeState.values()) {
            HeartbeatPacket p = HeartbeatPacket.of("n", s, 1, seq++, NOW, OptionalInt.empty());
            assertThat(accepted(codec.decode(codec.encode(p))).state()).isEqualTo(s);
        }
    }

    @Test
    void packetSignedWithAnotherKeyIsBadMac() {
        HeartbeatCodec other = new HeartbeatCodec(AuthKey.of("wrong".getBytes(StandardCharsets.UTF_8)),
                Duration.ofSeconds(10), wallClock::get, HeartbeatEvents.NONE);
        assertThat(rejected(codec.decode(other.encode(packet("proxy-a", 1, 1))))).isEqualTo(RejectReason.BAD_MAC);
        assertThat(events.rejectedCount(RejectReason.BAD_MAC)).isEqualTo(1);
    }

    @Test
    void anyFlippedBitIsCaught() {
        byte[] good = codec.encode(packet("proxy-a", 1, 1));
        // Past the magic and version every bit is covered by the MAC (or makes the length wrong).
        for (int i = 3; i < good.length; i++) {
            byte[] forged = good.clone();
            forged[i] ^= 0x01;
            assertThat(rejected(codec.decode(forged))).as("byte %d", i)
                    .isIn(RejectReason.BAD_MAC, RejectReason.TRUNCATED, RejectReason.MALFORMED);
        }
        // Changing the state field with the MAC left alone is a forgery.
        byte[] forged = good.clone();
        forged[4 + "proxy-a".length()] = (byte) NodeState.STANDBY.code();
        assertThat(rejected(codec.decode(forged))).isEqualTo(RejectReason.BAD_MAC);
        // The original is still fine afterwards: rejections record nothing.
        accepted(codec.decode(good));
    }

    @Test
    void replayedSequenceIsRejectedAndCounted() {
        byte[] first = codec.encode(packet("proxy-a", 100, 5));
        accepted(codec.decode(first));
        assertThat(rejected(codec.decode(first))).isEqualTo(RejectReason.REPLAYED);
        assertThat(rejected(codec.decode(codec.encode(packet("proxy-a", 100, 4))))).isEqualTo(RejectReason.REPLAYED);
        accepted(codec.decode(codec.encode(packet("proxy-a", 100, 6))));
        // Another node's sequence is its own.
        accepted(codec.decode(codec.encode(packet("proxy-b", 100, 1))));
        assertThat(events.rejectedCount(RejectReason.REPLAYED)).isEqualTo(2);
    }

    @Test
    void restartedSenderWithNewGenerationIsAccepted() {
        accepted(codec.decode(codec.encode(packet("web-1", 100, 900))));
        // Rebooted: sequence starts again at 1, but the generation (boot time) is later.
        accepted(codec.decode(codec.encode(packet("web-1", 200, 1))));
        // The old generation cannot come back.
        assertThat(rejected(codec.decode(codec.encode(packet("web-1", 100, 901))))).isEqualTo(RejectReason.REPLAYED);
    }

    @Test
    void packetOlderThanMaxAgeIsStale() {
        HeartbeatPacket old = HeartbeatPacket.of("web-1", NodeState.UP, 1, 1, NOW - 10_001, OptionalInt.empty());
        assertThat(rejected(codec.decode(codec.encode(old)))).isEqualTo(RejectReason.STALE);
        assertThat(events.rejectedCount(RejectReason.STALE)).isEqualTo(1);
        // A stale packet does not advance the replay mark: a fresh one with the same sequence passes.
        HeartbeatPacket fresh = HeartbeatPacket.of("web-1", NodeState.UP, 1, 1, NOW - 9_999, OptionalInt.empty());
        accepted(codec.decode(codec.encode(fresh)));
    }

    @Test
    void everyProperPrefixIsTruncated() {
        byte[] good = codec.encode(packet("proxy-a", 1, 1));
        IntStream.range(0, good.length).forEach(len ->
                assertThat(rejected(codec.decode(Arrays.copyOf(good, len)))).as("%d bytes", len)
                        .isEqualTo(RejectReason.TRUNCATED));
        assertThat(events.rejectedCount(RejectReason.TRUNCATED)).isEqualTo(good.length);
    }

    @Test
    void unknownVersionIsNamed() {
        byte[] d = codec.encode(packet("proxy-a", 1, 1));
        d[2] = 2;
        assertThat(rejected(codec.decode(d))).isEqualTo(RejectReason.UNKNOWN_VERSION);
        assertThat(events.rejectedCount(RejectReason.UNKNOWN_VERSION)).isEqualTo(1);
    }

    static Stream<Arguments> garbage() {
        byte[] good = new HeartbeatCodec(KEY, Duration.ofSeconds(10), () -> NOW, HeartbeatEvents.NONE)
                .encode(packet("proxy-a", 1, 1));
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        byte[] zeroName = good.clone();
        zeroName[3] = 0;
        byte[] random = new byte[80];
        new Random(694).nextBytes(random);
        random[0] = 0x17;
        return Stream.of(
                Arguments.of("http request", "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)),
                Arguments.of("random bytes", random),
                Arguments.of("wrong second magic byte", new byte[] {'R', 'X', 1, 1, 'a'}),
                Arguments.of("zero-length node name", zeroName),
                Arguments.of("trailing byte", trailing),
                Arguments.of("oversized", new byte[HeartbeatCodec.MAX_BYTES + 1]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("garbage")
    void garbageIsMalformed(String what, byte[] datagram) {
        assertThat(rejected(codec.decode(datagram))).isEqualTo(RejectReason.MALFORMED);
        ByteBuf buf = Unpooled.wrappedBuffer(datagram);
        try {
            assertThat(rejected(codec.decode(buf))).isEqualTo(RejectReason.MALFORMED);
        } finally {
            buf.release();
        }
        assertThat(events.rejectedCount(RejectReason.MALFORMED)).isEqualTo(2);
    }

    @Test
    void signedButInvalidFieldsAreMalformed() {
        // A holder of the key sending an unknown state code: signed, yet not a valid heartbeat.
        byte[] d = codec.encode(packet("proxy-a", 1, 1));
        d[4 + "proxy-a".length()] = (byte) 99;
        resign(d);
        assertThat(rejected(codec.decode(d))).isEqualTo(RejectReason.MALFORMED);

        byte[] badUtf8 = codec.encode(packet("ab", 1, 2));
        badUtf8[4] = (byte) 0xC3;
        badUtf8[5] = (byte) 0x28;
        resign(badUtf8);
        assertThat(rejected(codec.decode(badUtf8))).isEqualTo(RejectReason.MALFORMED);
    }

    private static void resign(byte[] d) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec("correct horse battery staple".getBytes(StandardCharsets.UTF_8),
                    "HmacSHA256"));
            mac.update(d, 0, d.length - 32);
            System.arraycopy(mac.doFinal(), 0, d, d.length - 32, 32);
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
