package io.rollforward.fake;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Child-JVM entry point for the namespace tests: sends gratuitous ARP of one form from inside the
 * namespace it was started in. Args: IFACE VIP request|reply|both.
 * Prints {@code transport=<pcap|arping>} and exits 0, or prints the error and exits 1.
 */
public final class GarpSendMain {
    private GarpSendMain() {
    }

    public static void main(String[] args) throws Exception {
        String iface = args[0];
        Inet4Address vip = (Inet4Address) InetAddress.getByName(args[1]);
        String form = args[2];
        try (GratuitousArp garp = new GratuitousArp(iface, vip)) {
            garp.preflight();
            System.out.println("transport=" + garp.transport());
            switch (form) {
                case "request" -> garp.send(GarpForm.REQUEST);
                case "reply" -> garp.send(GarpForm.REPLY);
                case "both" -> garp.announce();
                default -> throw new IllegalArgumentException("form: " + form + " (expected: request, reply or both)");
            }
        } catch (VipException | IllegalArgumentException e) {
            System.out.println("error: " + e.getMessage());
            System.exit(1);
        }
        System.out.println("sent");
    }
}
