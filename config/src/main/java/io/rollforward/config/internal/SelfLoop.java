package io.rollforward.config.internal;

import io.rollforward.config.HostPort;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Refuses a replica URL that is the proxy's own {@code listen}: every request would come back to
 * the proxy, which would copy it again, until something times out (one request became 199 on the
 * backup). The same port and an address that {@code listen} takes: the same address, or, for a
 * wildcard listen ({@code 0.0.0.0}, {@code ::}), any address of this host (loopback, the
 * unspecified address, an address of a local interface, {@code localhost}, this host's name).
 *
 * <p>Names are never resolved (a config check must not depend on DNS): only {@code localhost}
 * and this host's own name are known to be local. The run-time {@code Via} check catches the
 * loops this cannot see (a name, NAT, another proxy in between).
 */
final class SelfLoop {
    private static final Path HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    private SelfLoop() {
    }

    static void check(Section root, HostPort listen) {
        if (root.problems().failed("listen") || listen.port() == 0 || !root.has("replicas")
                || !(root.node("replicas").orElse(null) instanceof SequenceNode replicas)) {
            return; // port 0: the kernel picks one, which no URL can name
        }
        for (int i = 0; i < replicas.getValue().size(); i++) {
            String path = "replicas[" + i + "].url";
            Optional<ScalarNode> url = urlNode(replicas.getValue().get(i));
            if (url.isEmpty() || root.problems().failed(path)) {
                continue;
            }
            HostPort target;
            try {
                target = HttpUrl.origin(url.get().getValue());
            } catch (IllegalArgumentException malformed) {
                continue; // already reported by the replica reader
            }
            if (target.port() == listen.port() && takes(listen.host(), target.host())) {
                root.problems().report(url.get(), path, url.get().getValue() + " (expected: not the proxy itself: listen "
                        + listen + " takes this address, so every request would come back to the proxy)");
            }
        }
    }

    private static Optional<ScalarNode> urlNode(Node replica) {
        if (replica instanceof MappingNode mapping) {
            for (NodeTuple entry : mapping.getValue()) {
                if (entry.getKeyNode() instanceof ScalarNode key && key.getValue().equals("url")
                        && entry.getValueNode() instanceof ScalarNode value) {
                    return Optional.of(value);
                }
            }
        }
        return Optional.empty();
    }

    /** Whether a socket listening on {@code listen} accepts a connection made to {@code target}. */
    static boolean takes(String listen, String target) {
        if (listen.equalsIgnoreCase(target)) {
            return true;
        }
        Optional<InetAddress> listenIp = IpLiteral.parse(listen);
        Optional<InetAddress> targetIp = IpLiteral.parse(target);
        boolean targetLocal = targetIp.map(SelfLoop::isLocal).orElseGet(() -> isOwnName(target));
        if (listenIp.isPresent() && listenIp.get().isAnyLocalAddress()) {
            return targetLocal;
        }
        boolean listenLoopback = listenIp.map(InetAddress::isLoopbackAddress).orElseGet(() -> isLocalhost(listen));
        if (listenIp.isPresent() && targetIp.isPresent()) {
            // connecting to 0.0.0.0 or :: reaches this host's loopback
            return listenIp.get().equals(targetIp.get()) || (listenLoopback && targetIp.get().isAnyLocalAddress());
        }
        // localhost is 127.0.0.1 or ::1: a loopback listen takes a connection to it
        return listenLoopback && (isLocalhost(target) || targetIp.map(InetAddress::isLoopbackAddress).orElse(false));
    }

    private static boolean isLocal(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress()) {
            return true;
        }
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (Collections.list(nic.getInetAddresses()).stream().anyMatch(a -> sameAddress(a, address))) {
                    return true;
                }
            }
        } catch (SocketException e) {
            return false; // cannot enumerate: the run-time Via check still catches the loop
        }
        return false;
    }

    /** Equal ignoring an IPv6 interface's scope id. */
    private static boolean sameAddress(InetAddress a, InetAddress b) {
        return java.util.Arrays.equals(a.getAddress(), b.getAddress());
    }

    private static boolean isOwnName(String host) {
        if (isLocalhost(host)) {
            return true;
        }
        try {
            String own = Files.readString(HOSTNAME, StandardCharsets.US_ASCII).strip();
            return !own.isEmpty() && own.equalsIgnoreCase(host.endsWith(".") ? host.substring(0, host.length() - 1) : host);
        } catch (java.io.IOException | SecurityException e) {
            return false; // not Linux: only localhost is known
        }
    }

    /** {@code localhost} and names under it (RFC 6761 section 6.3). */
    private static boolean isLocalhost(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        name = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        return name.equals("localhost") || name.endsWith(".localhost");
    }
}
