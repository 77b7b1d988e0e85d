/**
 * Who is alive: signed heartbeats with Linux-HA heartbeat's semantics (ha.cf keepalive, warntime,
 * deadtime, initdead; authkeys; generation + sequence against replays).
 *
 * <ul>
 *   <li>{@link io.rollforward.heartbeat.HeartbeatPacket} and {@link io.rollforward.heartbeat.NodeState}:
 *       what a node says; {@link io.rollforward.heartbeat.HeartbeatSource} stamps a node's own packets.</li>
 *   <li>{@link io.rollforward.heartbeat.HeartbeatCodec}: HMAC-SHA256 signed wire format; decoding
 *       answers a packet or a {@link io.rollforward.heartbeat.RejectReason}, never throws.
 *       One codec per link.</li>
 *   <li>{@link io.rollforward.heartbeat.AuthKey}: the shared key file, which must be mode 600.</li>
 *   <li>{@link io.rollforward.heartbeat.FailureDetector}: liveness per (node, link), on an injected clock.</li>
 *   <li>{@link io.rollforward.heartbeat.HeartbeatEvents}: rejections, late heartbeats, liveness changes.</li>
 *   <li>{@code udp.UdpHeartbeatTransport}: ucast/bcast/mcast over Netty; {@code agent.HeartbeatAgent}:
 *       {@code rollforward agent}.</li>
 * </ul>
 *
 * <p>Wiring the proxy's agent listener (all on one event loop, so the detector needs no locks):
 * <pre>{@code
 * AgentsConfig cfg = ...;
 * HeartbeatEvents events = HeartbeatEvents.all(metricsBinder, replicaHealth);
 * HeartbeatCodec codec = new HeartbeatCodec(AuthKey.read(cfg.keyFile()), cfg.timing().deadtime(), events);
 * FailureDetector detector = new FailureDetector(cfg.timing(), events);
 * UdpHeartbeatTransport in = UdpHeartbeatTransport.listen(group, cfg.listen(), codec, detector::onHeartbeat);
 * replicas.forEach(r -> r.agent().ifPresent(name -> in.eventLoop().execute(
 *         () -> detector.watch(name, FailureDetector.DEFAULT_LINK))));
 * detector.scheduleChecks(in.eventLoop());
 * }</pre>
 */
package io.rollforward.heartbeat;
