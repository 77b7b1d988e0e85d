package io.rollforward.config.internal;

/**
 * A host as the config may name it: an IP literal or a DNS name after RFC 1123 section 2.1
 * (labels of letters, digits and hyphens, 1..63 long, not starting or ending with a hyphen).
 * An all-numeric last label is refused so that {@code 10.0.0.256} is reported as a bad address
 * instead of being taken for a name.
 */
final class HostName {
    private HostName() {
    }

    static boolean isValid(String host) {
        return IpLiteral.parse(host).isPresent() || isDnsName(host);
    }

    static boolean isDnsName(String host) {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        String[] labels = name.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")
                    || !label.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-'))) {
                return false;
            }
        }
        return !labels[labels.length - 1].chars().allMatch(Character::isDigit);
    }
}
