package io.rollforward.proxy.apache;

import io.rollforward.proxy.testing.ApacheInstance;

/** Counts the slow CGI requests an Apache instance is running now, from the process table. */
final class ApacheSlowRequests {
    private ApacheSlowRequests() {
    }

    static long running(ApacheInstance apache) {
        String script = apache.docRoot().getParent().resolve("cgi-bin").resolve("slow").toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(script))
                .count();
    }
}
