package io.rollforward.proxy.exchange;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.rollforward.config.ClusterConfig;
import io.rollforward.config.ForwardedConfig;
import io.rollforward.config.RollforwardConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The headers that say the request passed through this proxy, on the replica hop:
 * <ul>
 *   <li>{@code Via: 1.1 <node-name> (rollforward)} appended (RFC 9110 §7.6.3): the front refuses
 *       a request that already carries this element with 508, so a replica URL that leads back to
 *       the proxy costs one refused request instead of a storm. The comment keeps another proxy
 *       on this host that writes the host name in its {@code Via} (Squid does) from looking like
 *       a loop;</li>
 *   <li>{@code X-Forwarded-For} and {@code X-Forwarded-Proto}: from a peer in
 *       {@code forwarded.trusted-proxies} the peer's address is appended to its X-Forwarded-For
 *       and its X-Forwarded-Proto is kept; from anyone else both are replaced (the peer's
 *       address, {@code http}), so a client cannot claim another address.</li>
 * </ul>
 */
public final class ForwardedHeaders {
    private static final AsciiString VIA = AsciiString.cached("Via");
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("X-Forwarded-For");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("X-Forwarded-Proto");
    private static final Path HOSTNAME = Path.of("/proc/sys/kernel/hostname");
    /** The comment of this proxy's {@code Via} element; the loop check looks for it too. */
    public static final String VIA_COMMENT = "(rollforward)";

    private final String nodeName;
    private final ForwardedConfig config;
    /** This proxy's Via element for HTTP/1.1, the common case, made once. */
    private final String via11;

    public ForwardedHeaders(String nodeName, ForwardedConfig config) {
        this.nodeName = nodeName;
        this.config = config;
        this.via11 = element(HttpVersion.HTTP_1_1);
    }

    private String element(HttpVersion received) {
        return received.majorVersion() + "." + received.minorVersion() + " " + nodeName + " " + VIA_COMMENT;
    }

    public static ForwardedHeaders from(RollforwardConfig config) {
        return new ForwardedHeaders(nodeName(config), config.forwarded());
    }

    /** {@code node-name}, else {@code cluster.node}, else this host's name. */
    public static String nodeName(RollforwardConfig config) {
        return config.nodeName().or(() -> config.cluster().map(ClusterConfig::node)).orElseGet(ForwardedHeaders::hostName);
    }

    /** The name this proxy writes in {@code Via} and looks for in the requests it receives. */
    public String nodeName() {
        return nodeName;
    }

    /**
     * Sets the three headers in {@code h}, the request received as {@code received} from
     * {@code peer} over {@code scheme} ({@code http}, or {@code https} on the TLS front).
     */
    void apply(HttpHeaders h, HttpVersion received, SocketAddress peer, String scheme) {
        String via = HttpVersion.HTTP_1_1.equals(received) ? via11 : element(received);
        String priorVia = h.get(VIA);
        h.set(VIA, priorVia == null || priorVia.isBlank() ? via : priorVia + ", " + via);

        boolean trusted = peer instanceof InetSocketAddress inet && inet.getAddress() != null
                && config.trusts(inet.getAddress());
        String priorFor = trusted ? h.get(X_FORWARDED_FOR) : null;
        h.remove(X_FORWARDED_FOR);
        if (peer instanceof InetSocketAddress inet && inet.getAddress() != null) {
            String ip = AddressText.of(inet.getAddress());
            h.set(X_FORWARDED_FOR, priorFor == null || priorFor.isBlank() ? ip : priorFor + ", " + ip);
        }
        if (!trusted || !h.contains(X_FORWARDED_PROTO)) {
            h.set(X_FORWARDED_PROTO, scheme);
        }
    }

    /** Read from the kernel rather than looked up: {@code InetAddress.getLocalHost()} may ask DNS. */
    private static String hostName() {
        try {
            String name = Files.readString(HOSTNAME, StandardCharsets.US_ASCII).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | SecurityException notLinux) {
            // fall through
        }
        String env = System.getenv("HOSTNAME");
        return env == null || env.isBlank() ? "rollforward" : env.strip();
    }
}
