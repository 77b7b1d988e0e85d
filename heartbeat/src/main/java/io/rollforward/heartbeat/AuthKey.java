package io.rollforward.heartbeat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * The shared secret that signs heartbeats: the role of Linux-HA's {@code /etc/ha.d/authkeys}.
 * Like heartbeat, we refuse a key file that group or others can read, since anyone holding the
 * key can forge "I am alive" or "I am ACTIVE".
 *
 * <p>File format: the first line that is neither blank nor a {@code #} comment, with surrounding
 * whitespace removed, is the key (as UTF-8 bytes).
 */
public final class AuthKey {
    private static final Set<PosixFilePermission> TOO_OPEN = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final byte[] secret;

    private AuthKey(byte[] secret) {
        this.secret = secret;
    }

    /** A key from bytes in memory (tests, or a key from somewhere other than a file). */
    public static AuthKey of(byte[] secret) {
        if (secret.length == 0) {
            throw new IllegalArgumentException("key: empty (expected: at least one byte)");
        }
        return new AuthKey(secret.clone());
    }

    /**
     * Reads the key file at {@code file}.
     *
     * @throws AuthKeyException if the file is missing or unreadable, readable by group or others,
     *                          or holds no key; the message names the file and how to fix it
     */
    public static AuthKey read(Path file) throws AuthKeyException {
        PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        String content;
        try {
            if (posix != null) {
                Set<PosixFilePermission> perms = EnumSet.copyOf(posix.readAttributes().permissions());
                perms.retainAll(TOO_OPEN);
                if (!perms.isEmpty()) {
                    throw new AuthKeyException("key file " + file + ": readable by group or others " + perms
                            + " (expected: owner only; fix: chmod 600 " + file + ")");
                }
            }
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new AuthKeyException("key file " + file + ": not found (expected: a file holding the shared key,"
                    + " mode 600; fix: create it, e.g. head -c 32 /dev/urandom | base64 > " + file
                    + " && chmod 600 " + file + ")", e);
        } catch (AuthKeyException e) {
            throw e;
        } catch (IOException e) {
            throw new AuthKeyException("key file " + file + ": cannot read: " + e.getMessage(), e);
        }
        String key = content.lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .findFirst()
                .orElseThrow(() -> new AuthKeyException("key file " + file + ": empty (expected: the shared key"
                        + " on its first non-comment line)"));
        return new AuthKey(key.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A 32-byte key for one purpose, HMAC-SHA256(secret, label): the ring derives its encryption
     * and join keys this way, so neither is the secret itself and the two are unrelated.
     */
    public byte[] derive(String label) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    /** A copy of the secret bytes. */
    byte[] bytes() {
        return secret.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthKey other && java.security.MessageDigest.isEqual(secret, other.secret);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(secret);
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "AuthKey[" + secret.length + " bytes]";
    }
}
