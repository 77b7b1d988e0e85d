/**
 * Which replica group runs a request. The schedulers here are pure: each one sees the groups as
 * {@link io.rollforward.proxy.schedule.Schedulable} (weight, load, available) and returns an
 * index, so their rules are tested without sockets. The first four follow the Linux IPVS
 * schedulers ({@code net/netfilter/ip_vs_rr.c}, {@code _wrr.c}, {@code _lc.c}, {@code _wlc.c}) with
 * "connections" read as the group's exchanges in flight; {@link io.rollforward.proxy.schedule.Lard}
 * and {@link io.rollforward.proxy.schedule.LardReplicated} are Pai et al.'s locality-aware request
 * distribution (ASPLOS 1998). {@link io.rollforward.proxy.schedule.GroupDispatcher} ties them to
 * the running replica groups; the front's exchange factory is its only caller.
 */
package io.rollforward.proxy.schedule;
