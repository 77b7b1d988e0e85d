package io.rollforward.heartbeat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs and checks heartbeats. Wire format, version 1 (big-endian):
 *
 * <pre>
 *  'R' 'F'     magic, 2 bytes
 *  version     1 byte  (1)
 *  name length 1 byte  (1..255), then the node name in UTF-8
 *  state       1 byte  ({@link NodeState#code()})
 *  generation  8 bytes (sender boot time, ms)
 *  sequence    8 bytes
 *  timestamp   8 bytes (ms since the epoch)
 *  load        4 bytes (-1 = not reported)
 *  mac         32 bytes HMAC-SHA256(key, every byte before it)
 * </pre>
 *
 * <p>{@link #decode} never throws: it answers a packet or a {@link RejectReason}, and reports each
 * rejection to {@link HeartbeatEvents#rejected}. The MAC is checked before any field is trusted.
 * Then (generation, sequence) must be greater than the last accepted from that node, and the
 * timestamp no older than {@code maxAge} (deadtime): a replay of an old packet is dropped.
 *
 * <p>Why STALE as well as REPLAYED: the replay record lives in memory, so right after this node
 * restarts any captured packet would pass it; the age limit keeps that window to {@code maxAge}.
 * The price is that the two clocks must agree to within {@code maxAge} (run NTP): a receiver
 * whose clock is more than deadtime ahead rejects everything as STALE, and the rising
 * {@code reason=stale} counter says so.
 *
 * <p>Use one codec per link: the same packet sent over UDP and serial would otherwise be taken
 * for a replay on the second link. Thread-safe.
 */
public final class HeartbeatCodec {
    private static final Logger log = LoggerFactory.getLogger(HeartbeatCodec.class);

    static final byte MAGIC_0 = 'R';
    static final byte MAGIC_1 = 'F';
    static final int MAC_BYTES = 32;
    /** state + generation + sequence + timestamp + load. */
    static final int FIXED_BYTES = 1 + 8 + 8 + 8 + 4;
    static final int HEADER_BYTES = 2 + 1 + 1;
    /** The largest datagram a heartbeat can be. */
    public static final int MAX_BYTES = HEADER_BYTES + HeartbeatPacket.MAX_NODE_BYTES + FIXED_BYTES + MAC_BYTES;

    private static final String HMAC = "HmacSHA256";

    private final ThreadLocal<Mac> mac;
    private final long maxAgeMillis;
    private final LongSupplier currentTimeMillis;
    private final HeartbeatEvents events;
    private final ReplayGuard replay = new ReplayGuard();

    /**
     * @param key               shared key
     * @param maxAge            older packets are {@link RejectReason#STALE}; use deadtime
     * @param currentTimeMillis wall clock (ms since the epoch), {@code System::currentTimeMillis}
     * @param events            told about each rejection
     */
    public HeartbeatCodec(AuthKey key, Duration maxAge, LongSupplier currentTimeMillis, HeartbeatEvents events) {
        Objects.requireNonNull(key, "key");
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge: " + maxAge + " (expected: > 0)");
        }
        SecretKeySpec spec = new SecretKeySpec(key.bytes(), HMAC);
        this.mac = ThreadLocal.withInitial(() -> newMac(spec));
        newMac(spec); // fail here, not on the first packet, if the JDK lacks HmacSHA256
        this.maxAgeMillis = maxAge.toMillis();
        this.currentTimeMillis = Objects.requireNonNull(currentTimeMillis, "currentTimeMillis");
        this.events = Objects.requireNonNull(events, "events");
    }

    /** A codec on the system clock. */
    public HeartbeatCodec(AuthKey key, Duration maxAge, HeartbeatEvents events) {
        this(key, maxAge, System::currentTimeMillis, events);
    }

    private static Mac newMac(SecretKeySpec spec) {
        try {
            Mac m = Mac.getInstance(HMAC);
            m.init(spec);
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(HMAC + " unavailable in this JDK", e);
        }
    }

    /** The signed datagram for {@code packet}. */
    public byte[] encode(HeartbeatPacket packet) {
        if (packet.version() != HeartbeatPacket.CURRENT_VERSION) {
            throw new IllegalArgumentException("version: " + packet.version()
                    + " (expected: " + HeartbeatPacket.CURRENT_VERSION + ")");
        }
        byte[] name = packet.node().getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES + name.length + FIXED_BYTES + MAC_BYTES);
        buf.put(MAGIC_0).put(MAGIC_1).put((byte) packet.version()).put((byte) name.length).put(name)
                .put((byte) packet.state().code())
                .putLong(packet.generation())
                .putLong(packet.sequence())
                .putLong(packet.timestamp())
                .putInt(packet.load().orElse(-1));
        Mac m = mac.get();
        m.update(buf.array(), 0, buf.position());
        buf.put(m.doFinal());
        return buf.array();
    }

    /** The signed datagram for {@code packet} in a new buffer that the caller owns. */
    public ByteBuf encode(HeartbeatPacket packet, ByteBufAllocator alloc) {
        byte[] bytes = encode(packet);
        return alloc.buffer(bytes.length).writeBytes(bytes);
    }

    /**
     * Checks and decodes the readable bytes of {@code datagram}. Does not move its reader index and
     * does not release it: the caller still owns the buffer.
     */
    public DecodeResult decode(ByteBuf datagram) {
        int len = datagram.readableBytes();
        if (len > MAX_BYTES) {
            return reject(RejectReason.MALFORMED, "oversized datagram of " + len + " bytes");
        }
        return decode(ByteBufUtil.getBytes(datagram, datagram.readerIndex(), len, false));
    }

    /** Checks and decodes one datagram. */
    public DecodeResult decode(byte[] d) {
        try {
            return decodeChecked(d);
        } catch (RuntimeException e) {
            // Not expected: every length is checked first. Still, a heartbeat must never throw.
            log.warn("Heartbeat decode failed unexpectedly", e);
            return reject(RejectReason.MALFORMED, e.toString());
        }
    }

    private DecodeResult decodeChecked(byte[] d) {
        if (d.length == 0) {
            return reject(RejectReason.TRUNCATED, "empty datagram");
        }
        if (d[0] != MAGIC_0 || (d.length > 1 && d[1] != MAGIC_1)) {
            return reject(RejectReason.MALFORMED, "bad magic");
        }
        if (d.length < HEADER_BYTES - 1) {
            return reject(RejectReason.TRUNCATED, d.length + " bytes");
        }
        if (d[2] != HeartbeatPacket.CURRENT_VERSION) {
            return reject(RejectReason.UNKNOWN_VERSION, "version " + (d[2] & 0xff));
        }
        if (d.length < HEADER_BYTES) {
            return reject(RejectReason.TRUNCATED, d.length + " bytes");
        }
        int nameLen = d[3] & 0xff;
        if (nameLen == 0) {
            return reject(RejectReason.MALFORMED, "empty node name");
        }
        int signedLen = HEADER_BYTES + nameLen + FIXED_BYTES;
        int expected = signedLen + MAC_BYTES;
        if (d.length < expected) {
            return reject(RejectReason.TRUNCATED, d.length + " of " + expected + " bytes");
        }
        if (d.length > expected) {
            return reject(RejectReason.MALFORMED, (d.length - expected) + " trailing bytes");
        }
        Mac m = mac.get();
        m.update(d, 0, signedLen);
        byte[] want = m.doFinal();
        byte[] got = java.util.Arrays.copyOfRange(d, signedLen, expected);
        if (!MessageDigest.isEqual(want, got)) {
            return reject(RejectReason.BAD_MAC, "MAC mismatch");
        }
        return parseSigned(ByteBuffer.wrap(d, HEADER_BYTES, nameLen + FIXED_BYTES), nameLen);
    }

    private DecodeResult parseSigned(ByteBuffer buf, int nameLen) {
        String node;
        try {
            node = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(buf.slice().limit(nameLen)).toString();
        } catch (CharacterCodingException e) {
            return reject(RejectReason.MALFORMED, "node name is not UTF-8");
        }
        buf.position(buf.position() + nameLen);
        int stateCode = buf.get() & 0xff;
        Optional<NodeState> state = NodeState.fromCode(stateCode);
        if (state.isEmpty()) {
            return reject(RejectReason.MALFORMED, "unknown state " + stateCode + " from " + node);
        }
        long generation = buf.getLong();
        long sequence = buf.getLong();
        long timestamp = buf.getLong();
        int load = buf.getInt();
        if (load < -1) {
            return reject(RejectReason.MALFORMED, "load " + load + " from " + node);
        }
        HeartbeatPacket packet;
        try {
            packet = HeartbeatPacket.of(node, state.get(), generation, sequence, timestamp,
                    load < 0 ? OptionalInt.empty() : OptionalInt.of(load));
        } catch (IllegalArgumentException e) {
            return reject(RejectReason.MALFORMED, e.getMessage());
        }
        // Replay first: an old packet played back is an attack worth naming, not mere lateness.
        if (!replay.isNew(node, generation, sequence)) {
            return reject(RejectReason.REPLAYED, node + " generation " + generation + " sequence " + sequence);
        }
        long age = currentTimeMillis.getAsLong() - timestamp;
        if (age > maxAgeMillis) {
            return reject(RejectReason.STALE, node + " sent " + age + " ms ago (max " + maxAgeMillis + " ms)");
        }
        if (!replay.advance(node, generation, sequence)) {
            // Lost a race with another thread that accepted the same pair first.
            return reject(RejectReason.REPLAYED, node + " generation " + generation + " sequence " + sequence);
        }
        return new DecodeResult.Accepted(packet);
    }

    private DecodeResult reject(RejectReason reason, String detail) {
        log.debug("Heartbeat rejected: {}: {}", reason, detail);
        try {
            events.rejected(reason);
        } catch (RuntimeException e) {
            log.warn("HeartbeatEvents.rejected({}) threw", reason, e);
        }
        return new DecodeResult.Rejected(reason);
    }
}
