package io.rollforward.config;

/**
 * A serial heartbeat link (ha.cf's {@code serial} and {@code baud}). Default baud: 19200.
 */
public record SerialLink(String device, int baud) {
    public static final int DEFAULT_BAUD = 19200;
}
