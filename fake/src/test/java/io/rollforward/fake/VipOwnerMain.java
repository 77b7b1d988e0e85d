package io.rollforward.fake;

import io.rollforward.config.GarpConfig;
import io.rollforward.config.VipConfig;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Child-JVM entry point: plays the proxy inside a namespace. Args: IFACE VIP PREFIX.
 * preflight + acquire, prints {@code acquired}, waits for a line on stdin, release, prints
 * {@code released}. Any error is printed and exits 1.
 */
public final class VipOwnerMain {
    private VipOwnerMain() {
    }

    public static void main(String[] args) throws Exception {
        GarpConfig garp = new GarpConfig(3, Duration.ofMillis(100), Duration.ZERO, Duration.ZERO);
        VipConfig config = new VipConfig(args[1], Integer.parseInt(args[2]), args[0], garp);
        try (VipOwner owner = VipOwner.create(config)) {
            owner.preflight();
            owner.acquire().get(10, TimeUnit.SECONDS);
            System.out.println("acquired held=" + owner.isHeld());
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            owner.release().get(10, TimeUnit.SECONDS);
            System.out.println("released held=" + owner.isHeld());
        } catch (Exception e) {
            System.out.println("error: " + e);
            System.exit(1);
        }
    }
}
