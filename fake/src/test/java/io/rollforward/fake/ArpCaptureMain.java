package io.rollforward.fake;

import io.rollforward.fake.internal.ArpFrame;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.Pcaps;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * Child-JVM entry point: captures ARP frames on an interface of the namespace it runs in and
 * prints one line per gratuitous ARP for the VIP: {@code garp op=1 sha=.. tha=.. us=<timestamp>}.
 * Args: IFACE VIP SENTINEL_IP. Prints {@code ready} once capturing; stops at the first ARP whose
 * sender IP is SENTINEL_IP, then prints {@code done}. (A sentinel packet, not a timer, ends the
 * capture: libpcap's read timeout does not fire on an idle Linux TPACKET_V3 socket, so a blocked
 * read only returns when a packet arrives.)
 */
public final class ArpCaptureMain {
    private ArpCaptureMain() {
    }

    public static void main(String[] args) throws Exception {
        String iface = args[0];
        byte[] vip = InetAddress.getByName(args[1]).getAddress();
        byte[] sentinel = InetAddress.getByName(args[2]).getAddress();
        PcapNetworkInterface device = Pcaps.getDevByName(iface);
        try (PcapHandle handle = device.openLive(128, PcapNetworkInterface.PromiscuousMode.PROMISCUOUS, 10)) {
            handle.setFilter("arp", BpfProgram.BpfCompileMode.OPTIMIZE);
            System.out.println("ready");
            while (true) {
                byte[] frame = handle.getNextRawPacket();
                if (frame == null || frame.length < 42) {
                    continue;
                }
                byte[] spa = Arrays.copyOfRange(frame, 28, 32);
                byte[] tpa = Arrays.copyOfRange(frame, 38, 42);
                if (Arrays.equals(spa, sentinel)) {
                    break;
                }
                if (Arrays.equals(spa, vip) && Arrays.equals(tpa, vip)) {
                    long micros = handle.getTimestamp().getTime() * 1000L + handle.getTimestamp().getNanos() / 1000 % 1000;
                    System.out.println("garp op=" + (((frame[20] & 0xff) << 8) | (frame[21] & 0xff))
                            + " dst=" + ArpFrame.formatMac(Arrays.copyOfRange(frame, 0, 6))
                            + " sha=" + ArpFrame.formatMac(Arrays.copyOfRange(frame, 22, 28))
                            + " tha=" + ArpFrame.formatMac(Arrays.copyOfRange(frame, 32, 38))
                            + " us=" + micros);
                }
            }
        }
        System.out.println("done");
    }
}
