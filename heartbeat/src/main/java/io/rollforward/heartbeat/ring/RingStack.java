package io.rollforward.heartbeat.ring;

import io.rollforward.config.RingConfig;
import io.rollforward.heartbeat.AuthKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.jgroups.protocols.AUTH;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.FRAG4;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.NON_BLOCKING_SENDS;
import org.jgroups.protocols.SYM_ENCRYPT;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STABLE;
import org.jgroups.stack.Protocol;

/**
 * The JGroups protocol stack of the ring, built in code from {@link RingConfig} (JGroups' stock
 * {@code tcp.xml} trimmed to what membership needs). Bottom to top:
 * <pre>
 * TCP             bind = this member's address, no port range (the address is the identity);
 *                 connect timeout failure-timeout/2
 * NON_BLOCKING_SENDS  a member whose TCP window is full (link cut) queues instead of blocking
 *                 the sender, so the others still get our heartbeats
 * TCPPING         static discovery: every member's address
 * MERGE3          heals partitions: info every 2..4 x failure-timeout
 * FD_SOCK2        the ring: a TCP connection to the next member; a closed one is a crash at once
 * FD_ALL3         heartbeats every failure-timeout/4; silent for failure-timeout = suspect (hung, link cut)
 * VERIFY_SUSPECT2 a suspect is checked for failure-timeout/2 more before it is removed
 * SYM_ENCRYPT     AES with a key derived from the cluster key: everything above is secret
 * NAKACK2, UNICAST3, STABLE   reliable, ordered delivery
 * AUTH            a joiner must prove the key ({@link KeyedAuthToken})
 * GMS             views; join timeout 2 x failure-timeout
 * FRAG4
 * </pre>
 * Worst-case detection of a hung member is therefore about 1.5 x failure-timeout plus a view
 * installation; a killed process is seen when FD_SOCK2's connection drops.
 */
public final class RingStack {
    private static final String ENCRYPT_LABEL = "rollforward ring encryption";
    private static final String AUTH_LABEL = "rollforward ring join";

    private RingStack() {
    }

    /** The protocols, bottom first, for {@code new JChannel(protocols)}. */
    public static List<Protocol> protocols(RingConfig config, AuthKey key) {
        long timeout = config.failureTimeout().toMillis();
        InetAddress bind = address(config.self().address().host());
        TCP tcp = new TCP();
        tcp.setBindAddress(bind);
        tcp.setBindPort(config.self().address().port());
        tcp.setPortRange(0);
        // Connecting to a member whose link is cut must not stall sends for JGroups' default 2s.
        tcp.setSockConnTimeout((int) Math.max(200, timeout / 2));
        List<InetSocketAddress> hosts = config.members().stream()
                .map(m -> new InetSocketAddress(address(m.address().host()), m.address().port())).toList();
        TCPPING ping = new TCPPING();
        ping.setInitialHosts(hosts);
        ping.setPortRange(0);
        MERGE3 merge = new MERGE3().setMinInterval(2 * timeout).setMaxInterval(4 * timeout)
                .setCheckInterval(5 * timeout);
        FD_SOCK2 ring = new FD_SOCK2().setBindAddress(bind);
        FD_ALL3 heartbeats = new FD_ALL3().setTimeout(timeout).setInterval(Math.max(25, timeout / 4));
        VERIFY_SUSPECT2 verify = new VERIFY_SUSPECT2().setTimeout(Math.max(50, timeout / 2));
        SYM_ENCRYPT encrypt = new SYM_ENCRYPT().setSecretKey(new SecretKeySpec(key.derive(ENCRYPT_LABEL), "AES"));
        AUTH auth = new AUTH().setAuthToken(new KeyedAuthToken(key.derive(AUTH_LABEL)));
        GMS gms = new GMS().setJoinTimeout(2 * timeout).setMaxJoinAttempts(1).setLeaveTimeout(timeout)
                .setViewAckCollectionTimeout(timeout);
        return List.of(tcp, new NON_BLOCKING_SENDS(), ping, merge, ring, heartbeats, verify, encrypt, new NAKACK2().useMcastXmit(false),
                new UNICAST3(), new STABLE(), auth, gms, new FRAG4());
    }

    private static InetAddress address(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cluster.members: cannot resolve " + host, e);
        }
    }
}
