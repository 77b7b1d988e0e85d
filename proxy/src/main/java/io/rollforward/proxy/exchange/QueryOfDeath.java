package io.rollforward.proxy.exchange;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.FullHttpRequest;
import io.rollforward.config.QueryOfDeathConfig;
import java.util.zip.CRC32C;

/**
 * The query-of-death guard without stagger (seed paper 000's shared fault: one request that kills
 * or stalls every server at once). A request that every replica running it failed by a reset or a
 * timeout is remembered by its signature; the next request with that signature is a canary, sent
 * to the acting master alone while the backups wait for its reply. A canary that fails the same
 * way quarantines the signature: refused at once with 503 for {@code quarantine-time}. A canary
 * that succeeds clears the signature. Both tables are Caffeine caches bounded in size and time,
 * shared by every event loop.
 */
public final class QueryOfDeath {
    enum Verdict { NORMAL, CANARY, QUARANTINED }

    private final boolean withBody;
    private final Cache<String, FailureCause> suspects;
    private final Cache<String, Boolean> quarantined;

    private QueryOfDeath(QueryOfDeathConfig config) {
        this.withBody = config.withBody();
        this.suspects = Caffeine.newBuilder().maximumSize(config.maxEntries())
                .expireAfterWrite(config.rememberFor()).build();
        this.quarantined = Caffeine.newBuilder().maximumSize(config.maxEntries())
                .expireAfterWrite(config.quarantineTime()).build();
    }

    /** The guard, or null when the config turns it off. */
    public static QueryOfDeath of(QueryOfDeathConfig config) {
        return config.enabled() ? new QueryOfDeath(config) : null;
    }

    String signature(FullHttpRequest request) {
        String sig = request.method().name() + ' ' + request.uri();
        if (!withBody || !request.content().isReadable()) {
            return sig;
        }
        ByteBuf body = request.content();
        CRC32C crc = new CRC32C();
        crc.update(body.nioBuffer());
        return sig + ' ' + Long.toHexString(crc.getValue());
    }

    Verdict verdict(String signature) {
        if (quarantined.estimatedSize() > 0 && quarantined.getIfPresent(signature) != null) {
            return Verdict.QUARANTINED;
        }
        if (suspects.estimatedSize() > 0 && suspects.getIfPresent(signature) != null) {
            return Verdict.CANARY;
        }
        return Verdict.NORMAL;
    }

    /** Cheap test for the hot path: nothing is remembered at all. */
    boolean empty() {
        return suspects.estimatedSize() == 0 && quarantined.estimatedSize() == 0;
    }

    /** Every replica that ran the request failed it by {@code cause} (a reset or a timeout). */
    void failedEverywhere(String signature, FailureCause cause) {
        suspects.put(signature, cause);
    }

    /** The canary failed the same way: quarantine. */
    void canaryFailed(String signature) {
        suspects.invalidate(signature);
        quarantined.put(signature, Boolean.TRUE);
    }

    void canarySucceeded(String signature) {
        suspects.invalidate(signature);
    }

    /** Signatures quarantined now (approximate), for status. */
    public long quarantinedCount() {
        return quarantined.estimatedSize();
    }
}
