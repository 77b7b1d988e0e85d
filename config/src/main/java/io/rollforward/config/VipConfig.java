package io.rollforward.config;

/**
 * The virtual IP the ACTIVE node of the pair owns: {@code address/prefix} on {@code iface}.
 */
public record VipConfig(String address, int prefix, String iface, GarpConfig garp) {
    public VipConfig {
        garp = garp == null ? GarpConfig.DEFAULT : garp;
    }
}
