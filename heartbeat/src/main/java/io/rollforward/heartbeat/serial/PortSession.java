package io.rollforward.heartbeat.serial;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortDataListener;
import com.fazecast.jSerialComm.SerialPortEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One opened serial port: a reader thread of its own turns its bytes into frames, and the first
 * sign that the port is gone ({@code readBytes} returning -1, or jSerialComm's
 * {@code PORT_DISCONNECTED}, which repeats until the port is closed) is reported exactly once.
 * Closing is the owner's job, from another thread: jSerialComm does not allow closing a port
 * from inside its own event callback.
 */
final class PortSession {
    private static final Logger log = LoggerFactory.getLogger(PortSession.class);

    /** A base64 line longer than this is noise: ~6 KiB of frame, far above any heartbeat. */
    private static final int MAX_LINE_LENGTH = 8192;

    /** What the session tells its owner; called on the reader or jSerialComm's event thread. */
    interface Events {
        void onFrame(byte[] frame, Instant receivedAt);

        /** Called once per session, on the first sign of loss. */
        void onLost(PortSession session, String why);

        /** Every raw PORT_DISCONNECTED callback, for counting. */
        void onDisconnectEvent();
    }

    private final SerialPort port;
    private final String device;
    private final Clock clock;
    private final Events events;
    private final AtomicBoolean lost = new AtomicBoolean();
    private final Thread reader;
    /** Reader thread only: when the read that completed the current line returned. */
    private Instant readAt;

    PortSession(SerialPort port, String device, Clock clock, Events events) {
        this.port = port;
        this.device = device;
        this.clock = clock;
        this.events = events;
        this.reader = new Thread(this::readLoop, "serial-read-" + device);
        this.reader.setDaemon(true);
    }

    /** Starts watching for disconnects and reading. */
    void start() {
        port.addDataListener(new DisconnectListener());
        reader.start();
    }

    SerialPort port() {
        return port;
    }

    boolean isLost() {
        return lost.get();
    }

    /** Reports the loss unless it was already reported (or the owner is closing the session). */
    void lost(String why) {
        if (lost.compareAndSet(false, true)) {
            events.onLost(this, why);
        }
    }

    /** Closes the port without reporting a loss; the reader then ends. */
    void close() {
        lost.set(true);
        port.closePort();
    }

    private void readLoop() {
        LineFramer framer = new LineFramer(MAX_LINE_LENGTH, frame -> events.onFrame(frame, readAt));
        byte[] buf = new byte[1024];
        while (!lost.get()) {
            int n = port.readBytes(buf, buf.length);
            if (n < 0) {
                lost("read returned -1");
                break;
            }
            if (n > 0) {
                readAt = clock.instant();
                framer.feed(buf, n);
            }
        }
        if (framer.malformed() > 0) {
            log.info("serial link {}: dropped {} malformed lines", device, framer.malformed());
        }
    }

    /** Watches only for PORT_DISCONNECTED; data is read by the reader thread. */
    private final class DisconnectListener implements SerialPortDataListener {
        @Override
        public int getListeningEvents() {
            return SerialPort.LISTENING_EVENT_PORT_DISCONNECTED;
        }

        @Override
        public void serialEvent(SerialPortEvent event) {
            events.onDisconnectEvent();
            lost("port disconnected");
        }
    }
}
