package io.rollforward.fake;

import io.rollforward.config.VipConfig;
import io.rollforward.config.internal.IpLiteral;
import io.rollforward.process.Command;
import io.rollforward.process.CommandResult;
import io.rollforward.process.CommandRunner;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The VIP as an address on an interface: {@code ip addr add|del ADDR/PREFIX dev IFACE}
 * (iproute2), like heartbeat's IPaddr resource agent. Idempotent: adding a present address or
 * removing an absent one succeeds. Needs CAP_NET_ADMIN.
 *
 * <p>Each call runs a process and blocks for up to {@link #TIMEOUT}: call from your own thread
 * (as {@link VipOwner} does), never from an event loop.
 */
public final class VirtualAddress {
    /** How long one {@code ip} run may take before it is killed and reported. */
    public static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final String iface;
    private final InetAddress address;
    private final int prefix;
    private final List<String> wrapper;

    public VirtualAddress(String iface, InetAddress address, int prefix) {
        this(iface, address, prefix, List.of());
    }

    /**
     * @param wrapper command prefix for {@code ip}: empty in production; tests pass
     *                {@code ip netns exec NS} (and {@code setpriv ...} to drop capabilities)
     * @throws IllegalArgumentException for a bad interface name or prefix length
     */
    public VirtualAddress(String iface, InetAddress address, int prefix, List<String> wrapper) {
        // IFNAMSIZ is 16 including the NUL; anything with spaces or slashes is not a Linux interface.
        if (iface == null || !iface.matches("[^\\s/:]{1,15}")) {
            throw new IllegalArgumentException("vip.iface: " + iface + " (expected: a Linux interface name, 1-15 characters)");
        }
        int max = address instanceof Inet4Address ? 32 : 128;
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException("vip.prefix: " + prefix + " (expected: 0.." + max + ")");
        }
        this.iface = iface;
        this.address = address;
        this.prefix = prefix;
        this.wrapper = List.copyOf(wrapper);
    }

    /** @throws IllegalArgumentException naming the bad setting */
    public static VirtualAddress of(VipConfig config) {
        return new VirtualAddress(config.iface(), IpLiteral.require(config.address(), "vip.address"), config.prefix());
    }

    /**
     * Adds the address; success if it was already there. An IPv6 address is added {@code nodad}:
     * duplicate address detection would keep it tentative (unusable) for a second or more, and
     * the VIP moving here is exactly the "duplicate" the cluster decided on.
     */
    public void add() {
        CommandResult r = address instanceof Inet4Address ? ip("addr", "add", cidr(), "dev", iface)
                : ip("addr", "add", cidr(), "dev", iface, "nodad");
        if (!r.ok() && !alreadyPresent(r.output())) {
            throw failure("add", r);
        }
    }

    /** Removes the address; success if it was not there. */
    public void remove() {
        CommandResult r = ip("addr", "del", cidr(), "dev", iface);
        if (!r.ok() && !alreadyAbsent(r.output())) {
            throw failure("remove", r);
        }
    }

    /** Whether the interface carries the address now (any prefix length). */
    public boolean isAssigned() {
        CommandResult r = ip("-o", "addr", "show", "dev", iface);
        if (!r.ok()) {
            throw failure("list addresses for", r);
        }
        String wanted = address.getHostAddress();
        for (String line : r.output().split("\n")) {
            // "2: eth0    inet 10.0.0.5/24 brd ... scope global eth0"
            String[] words = line.trim().split("\\s+");
            for (int i = 0; i + 1 < words.length; i++) {
                if ((words[i].equals("inet") || words[i].equals("inet6")) && sameAddress(words[i + 1], wanted)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Checks at start-up that {@code ip} runs and the interface exists. Changes nothing. */
    public void preflight() {
        isAssigned();
    }

    public InetAddress address() {
        return address;
    }

    public String iface() {
        return iface;
    }

    @Override
    public String toString() {
        return cidr() + " dev " + iface;
    }

    private String cidr() {
        return address.getHostAddress() + "/" + prefix;
    }

    /** Runs {@code ip ARGS}; throws unless it exited (with any code), so callers judge the exit code. */
    private CommandResult ip(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "ip";
        System.arraycopy(args, 0, command, 1, args.length);
        // Parse-stable messages: iproute2 prints localized text otherwise.
        CommandResult r = CommandRunner.run(Command.of(TIMEOUT, command).prefixed(wrapper).withEnv("LC_ALL", "C"));
        if (r.status() != CommandResult.Status.EXITED) {
            throw new VipException("cannot run " + r.describe()
                    + (r.status() == CommandResult.Status.FAILED_TO_START ? " (install iproute2)" : ""));
        }
        return r;
    }

    private boolean sameAddress(String cidrWord, String wanted) {
        int slash = cidrWord.indexOf('/');
        String host = slash < 0 ? cidrWord : cidrWord.substring(0, slash);
        if (host.equals(wanted)) {
            return true;
        }
        try {
            // IPv6 text forms differ (zero compression); compare parsed values.
            return host.indexOf(':') >= 0 && IpLiteral.parse(host).map(address::equals).orElse(false);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    // Newer kernels answer with extack text ("ipv4: Address already assigned.", "ipv6: address
    // already assigned."), older ones with the errno string; compare without case.
    private static boolean alreadyPresent(String output) {
        String text = output.toLowerCase(Locale.ROOT);
        return text.contains("file exists") || text.contains("address already assigned");
    }

    private static boolean alreadyAbsent(String output) {
        String text = output.toLowerCase(Locale.ROOT);
        return text.contains("cannot assign requested address") || text.contains("address not found");
    }

    private VipException failure(String what, CommandResult r) {
        String output = r.output();
        String hint = "";
        if (output.contains("Operation not permitted")) {
            hint = " (changing addresses needs CAP_NET_ADMIN: run as root or grant the capability)";
        } else if (output.toLowerCase(Locale.ROOT).contains("cannot find device")) {
            hint = " (no interface '" + iface + "' here: check vip.iface)";
        }
        return new VipException("cannot " + what + " " + this + ": ip exited " + r.exitCode() + ": " + output + hint);
    }
}
