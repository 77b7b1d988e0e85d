package io.rollforward.heartbeat.ring;

/** A VIP of the cluster by its id ({@code address/prefix}) and the member it belongs to. */
public record VipHome(String vip, String home) {
}
