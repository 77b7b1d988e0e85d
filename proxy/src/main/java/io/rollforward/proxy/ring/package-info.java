/**
 * This proxy as a member of the N-way cluster ({@code cluster.mode: ring}): wires
 * {@link io.rollforward.heartbeat.ring.RingMember} (membership and VIP policy, in
 * {@code heartbeat}) to the VIPs of {@code fake/}, the load of the front, metrics, status and the
 * admin port's failback call. Only {@link io.rollforward.proxy.Rollforward} calls it.
 */
package io.rollforward.proxy.ring;
