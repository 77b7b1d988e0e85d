package io.rollforward.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthKeyTest {
    @TempDir
    Path dir;

    private Path keyFile(String content, String perms) throws IOException {
        Path f = dir.resolve("authkey");
        Files.writeString(f, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
        return f;
    }

    @Test
    void worldReadableKeyIsRefusedWithTheFix() throws IOException {
        Path f = keyFile("s3cret\n", "rw-r--r--");
        assertThatThrownBy(() -> AuthKey.read(f))
                .isInstanceOf(AuthKeyException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("readable by group or others")
                .hasMessageContaining("chmod 600 " + f);
    }

    @Test
    void groupReadableKeyIsRefused() throws IOException {
        Path f = keyFile("s3cret\n", "rw-r-----");
        assertThatThrownBy(() -> AuthKey.read(f)).hasMessageContaining("chmod 600 " + f);
    }

    @Test
    void missingFileNamesThePath() {
        Path f = dir.resolve("nope");
        assertThatThrownBy(() -> AuthKey.read(f))
                .isInstanceOf(AuthKeyException.class)
                .hasMessageContaining(f + ": not found")
                .hasMessageContaining("chmod 600 " + f);
    }

    @Test
    void emptyOrCommentOnlyKeyIsRefused() throws IOException {
        Path f = keyFile("# the key goes here\n\n   \n", "rw-------");
        assertThatThrownBy(() -> AuthKey.read(f))
                .isInstanceOf(AuthKeyException.class)
                .hasMessageContaining(f + ": empty");
    }

    @Test
    void ownerOnlyKeyIsReadSkippingCommentsAndWhitespace() throws IOException {
        Path f = keyFile("# authkeys\n  s3cret  \nignored\n", "rw-------");
        AuthKey key = AuthKey.read(f);
        assertThat(key).isEqualTo(AuthKey.of("s3cret".getBytes(StandardCharsets.UTF_8)));
        assertThat(key.toString()).doesNotContain("s3cret");

        // The key read from the file verifies what the same secret signed.
        HeartbeatCodec fromFile = new HeartbeatCodec(key, Duration.ofSeconds(10), () -> 0, HeartbeatEvents.NONE);
        HeartbeatCodec inMemory = new HeartbeatCodec(AuthKey.of("s3cret".getBytes(StandardCharsets.UTF_8)),
                Duration.ofSeconds(10), () -> 0, HeartbeatEvents.NONE);
        byte[] d = inMemory.encode(HeartbeatPacket.of("n", NodeState.UP, 1, 1, 0, OptionalInt.empty()));
        assertThat(fromFile.decode(d)).isInstanceOf(DecodeResult.Accepted.class);
    }
}
