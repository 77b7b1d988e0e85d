package io.rollforward.proxy.ring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link RingCluster} per test class ({@code @RegisterExtension static}): the network and
 * origins before the first test (skipping the class without root), the proxies stopped after
 * each test (their logs kept under {@code target/ring-netns-logs}), everything removed after the
 * last.
 */
final class RingClusterExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private Path dir;
    private RingCluster cluster;

    RingCluster cluster() {
        return cluster;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("ring-netns-");
        cluster = RingCluster.create(dir);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException, InterruptedException {
        cluster.stopChildren(context.getRequiredTestMethod().getName());
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException, InterruptedException {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
