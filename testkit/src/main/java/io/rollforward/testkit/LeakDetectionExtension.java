package io.rollforward.testkit;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty's leak detector reports a leaked buffer during it. Registered for
 * every test through this jar's {@code META-INF/services} and each module's
 * {@code junit.jupiter.extensions.autodetection.enabled=true}; tests run with the detector at
 * paranoid (every buffer tracked), so a {@code LEAK:} anywhere fails the build.
 *
 * <p>Netty reports a leak only when a later allocation polls its reference queue after a GC, so
 * after each class this forces a few collections and allocations before checking.
 */
public final class LeakDetectionExtension implements AfterAllCallback {
    private static final List<String> LEAKS = new ArrayList<>();

    static {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
            @Override
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
                return new RecordingDetector<>(resource, samplingInterval);
            }
        });
    }

    @Override
    public void afterAll(ExtensionContext context) {
        for (int i = 0; i < 5; i++) {
            System.gc();
            for (int j = 0; j < 64; j++) {
                PooledByteBufAllocator.DEFAULT.buffer(8).release();
                UnpooledByteBufAllocator.DEFAULT.buffer(8).release();
            }
        }
        List<String> found;
        synchronized (LEAKS) {
            found = new ArrayList<>(LEAKS);
            LEAKS.clear();
        }
        if (!found.isEmpty()) {
            throw new AssertionError("Netty reported " + found.size() + " LEAK(s) during "
                    + context.getDisplayName() + ":\n" + String.join("\n----\n", found));
        }
    }

    /** Records what the stock detector would only log. */
    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            super.reportTracedLeak(resourceType, records);
            synchronized (LEAKS) {
                LEAKS.add("LEAK: " + resourceType + records);
            }
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            super.reportUntracedLeak(resourceType);
            synchronized (LEAKS) {
                LEAKS.add("LEAK: " + resourceType + " (untraced)");
            }
        }
    }
}
