package io.rollforward.heartbeat.ring;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.security.MessageDigest;
import org.jgroups.Message;
import org.jgroups.auth.AuthToken;

/**
 * JGroups {@code AUTH} token of the ring: a join request carries an HMAC of a fixed label under
 * the cluster key, and the coordinator admits only a joiner whose MAC matches its own. (The
 * request also travels encrypted by {@code SYM_ENCRYPT}; the token makes the refusal explicit.)
 * JGroups builds received tokens with the no-argument constructor and reads the MAC into them.
 */
public final class KeyedAuthToken extends AuthToken {
    private byte[] mac = new byte[0];

    /** For JGroups, which reads a received token into a new instance. */
    public KeyedAuthToken() {
    }

    KeyedAuthToken(byte[] mac) {
        this.mac = mac.clone();
    }

    @Override
    public String getName() {
        return KeyedAuthToken.class.getName();
    }

    @Override
    public int size() {
        return Integer.BYTES + mac.length;
    }

    @Override
    public boolean authenticate(AuthToken token, Message msg) {
        return token instanceof KeyedAuthToken other && MessageDigest.isEqual(mac, other.mac);
    }

    @Override
    public void writeTo(DataOutput out) throws IOException {
        out.writeInt(mac.length);
        out.write(mac);
    }

    @Override
    public void readFrom(DataInput in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > 64) {
            throw new IOException("auth token of " + length + " bytes");
        }
        mac = new byte[length];
        in.readFully(mac);
    }
}
