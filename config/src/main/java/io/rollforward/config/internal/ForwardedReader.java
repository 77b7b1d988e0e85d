package io.rollforward.config.internal;

import io.rollforward.config.CidrBlock;
import io.rollforward.config.ForwardedConfig;

import java.util.List;

/** Reads {@code forwarded}: whose {@code X-Forwarded-*} headers the proxy believes. */
final class ForwardedReader {
    private ForwardedReader() {
    }

    static ForwardedConfig read(Section forwarded) {
        List<CidrBlock> trusted = forwarded.list("trusted-proxies", ScalarType.CIDR).orElse(List.of());
        forwarded.finish();
        return new ForwardedConfig(trusted);
    }
}
