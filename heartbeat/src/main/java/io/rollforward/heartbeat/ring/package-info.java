/**
 * The N-way proxy cluster (the Diehard ring of seed paper 001) on JGroups: who holds which VIP.
 *
 * <p>JGroups is the membership: its view is the ring, FD_SOCK2 the neighbour watch, a new view
 * the FAIL_DOWN broadcast and the ring rebuild in one, the view's first member the controller,
 * MERGE3 the healing of partitions. This package adds the policy on top: {@link
 * io.rollforward.heartbeat.ring.VipAssignment} (a pure function: view, loads, homes, holders →
 * holder per VIP, the TAKE_OVER and FAIL_BACK decisions of algorithms 2 and 4),
 * {@link io.rollforward.heartbeat.ring.RingPolicy} (the coordinator's state around it: failback
 * timers and requests, quorum, what changed), and {@link io.rollforward.heartbeat.ring.RingChannel}
 * (the thin JGroups adapter that carries loads and decisions). Moving the addresses is the
 * caller's business ({@code fake/}, wired by the proxy).
 */
package io.rollforward.heartbeat.ring;
