package io.rollforward.heartbeat.ring;

import io.rollforward.config.RingConfig;
import io.rollforward.heartbeat.AuthKey;
import java.util.List;
import java.util.concurrent.Executor;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.MergeView;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.jgroups.util.NameCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin JGroups adapter: one {@link JChannel} on {@link RingStack}, views and messages handed
 * to a {@link Listener} on the caller's executor (never on a JGroups thread), messages sent as
 * {@link RingMessage}s. Members are named by their config names (the channel's logical names).
 */
public final class RingChannel implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RingChannel.class);
    private static final String CLUSTER = "rollforward-ring";

    /** What the channel reports; called on the executor given to {@link #open}. */
    public interface Listener {
        /** A new view: members in view order, the first is the coordinator. */
        void view(List<String> members, boolean merge);

        /** A message from {@code sender} (a member name). */
        void message(String sender, RingMessage message);
    }

    private final JChannel channel;
    private volatile View view;

    private RingChannel(JChannel channel) {
        this.channel = channel;
    }

    /**
     * Builds the channel; {@link #connect} joins. Two steps, so the caller holds the channel
     * before the first view arrives.
     *
     * @throws IllegalStateException when the channel cannot be built
     */
    public static RingChannel create(RingConfig config, AuthKey key, Listener listener, Executor executor) {
        JChannel channel;
        try {
            channel = new JChannel(RingStack.protocols(config, key)).name(config.node());
        } catch (Exception e) {
            throw new IllegalStateException("cluster: cannot build the JGroups stack: " + e.getMessage(), e);
        }
        RingChannel ring = new RingChannel(channel);
        channel.setReceiver(new Receiver() {
            @Override
            public void viewAccepted(View newView) {
                ring.view = newView;
                List<String> members = newView.getMembers().stream().map(RingChannel::name).toList();
                boolean merge = newView instanceof MergeView;
                executor.execute(() -> listener.view(members, merge));
            }

            @Override
            public void receive(Message msg) {
                String sender = name(msg.getSrc());
                RingMessage message;
                try {
                    message = RingMessage.decode(msg.getArray() == null ? new byte[0]
                            : java.util.Arrays.copyOfRange(msg.getArray(), msg.getOffset(), msg.getOffset() + msg.getLength()));
                } catch (IllegalArgumentException e) {
                    log.warn("ring message from {} dropped: {}", sender, e.getMessage());
                    return;
                }
                executor.execute(() -> listener.message(sender, message));
            }
        });
        return ring;
    }

    /**
     * Joins (blocks up to the join timeout: a first member waits that long for others, then
     * forms a view of its own).
     *
     * @throws IllegalStateException when it cannot
     */
    public void connect(RingConfig config) {
        try {
            channel.connect(CLUSTER);
        } catch (Exception e) {
            channel.close();
            throw new IllegalStateException("cluster: cannot join as " + config.node() + " on "
                    + config.self().address() + ": " + e.getMessage(), e);
        }
    }

    /** To every member, this one included. */
    public void broadcast(RingMessage message) {
        send(null, message);
    }

    /** To the coordinator of the current view. */
    public void toCoordinator(RingMessage message) {
        View v = view;
        send(v == null ? null : v.getCoord(), message);
    }

    private void send(Address to, RingMessage message) {
        try {
            channel.send(new BytesMessage(to, message.encode()));
        } catch (Exception e) {
            log.debug("ring send failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        channel.close(); // a graceful leave: the others install a view without us at once
    }

    private static String name(Address address) {
        String name = address == null ? null : NameCache.get(address);
        return name != null ? name : String.valueOf(address);
    }
}
