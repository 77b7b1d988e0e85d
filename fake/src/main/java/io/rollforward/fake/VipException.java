package io.rollforward.fake;

/**
 * The virtual IP could not be added, removed or announced. The message says what was tried, on
 * which interface, and what is missing (a capability, a package, an interface), so an operator can
 * act on it without reading code.
 */
public final class VipException extends RuntimeException {
    public VipException(String message) {
        super(message);
    }

    public VipException(String message, Throwable cause) {
        super(message, cause);
    }
}
