package io.rollforward.proxy.testing;

/** The end of a test that started things: each is closed, in the order given. */
public final class Closing {
    private Closing() {
    }

    /**
     * Closes every non-null resource in order (a test may have failed before it started them all).
     * A close that throws does not stop the others; the first failure is thrown at the end, the
     * rest suppressed in it.
     */
    public static void inOrder(AutoCloseable... resources) throws Exception {
        Exception first = null;
        for (AutoCloseable r : resources) {
            if (r == null) {
                continue;
            }
            try {
                r.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
