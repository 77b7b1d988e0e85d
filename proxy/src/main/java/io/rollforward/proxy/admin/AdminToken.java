package io.rollforward.proxy.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.Set;

/**
 * The bearer token of the admin port's mutating calls, read once from {@code admin.token-file}.
 *
 * <p>Only a SHA-256 digest of the token is kept, and a presented token is compared digest to digest
 * with {@link MessageDigest#isEqual} (constant time): neither the content nor the length of the
 * token leaks through response timing. The token itself is never logged or put in a message.
 */
final class AdminToken {
    private final byte[] digest;

    private AdminToken(byte[] digest) {
        this.digest = digest;
    }

    /** No token file configured: every mutating call is refused. */
    static AdminToken disabled() {
        return new AdminToken(null);
    }

    /**
     * Reads the token from {@code file} (surrounding whitespace trimmed). Like heartbeat's authkeys
     * (and ha.cf's rule for them) the file must not be readable by others.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    static AdminToken load(Optional<Path> file) {
        if (file.isEmpty()) {
            return disabled();
        }
        Path path = file.get();
        String token;
        try {
            PosixFileAttributeView posix = Files.getFileAttributeView(path, PosixFileAttributeView.class);
            if (posix != null) {
                Set<PosixFilePermission> permissions = posix.readAttributes().permissions();
                if (permissions.contains(PosixFilePermission.OTHERS_READ)) {
                    throw new IllegalArgumentException("admin.token-file: " + path
                            + " is readable by others (expected: not world-readable, e.g. chmod 600)");
                }
            }
            token = Files.readString(path, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("admin.token-file: " + path + ": cannot read ("
                    + e.getClass().getSimpleName() + ")", e);
        }
        if (token.isEmpty()) {
            throw new IllegalArgumentException("admin.token-file: " + path + " is empty (expected: a token)");
        }
        return new AdminToken(sha256(token));
    }

    boolean enabled() {
        return digest != null;
    }

    /** True when {@code presented} is the token; false when disabled. */
    boolean matches(String presented) {
        return digest != null && MessageDigest.isEqual(digest, sha256(presented));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
