package io.rollforward.config.internal;

import io.rollforward.config.AccessLogConfig;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** Reads {@code access-log}: where the one line per request goes, and in which format. */
final class AccessLogReader {
    private static final ScalarType<AccessLogConfig.Format> FORMAT = new ScalarType<>("combined or json",
            text -> AccessLogConfig.Format.valueOf(text.toUpperCase(Locale.ROOT)));

    private AccessLogReader() {
    }

    static AccessLogConfig read(Section accessLog, Path baseDir) {
        Optional<String> path = accessLog.has("path") ? accessLog.optional("path", ScalarType.STRING) : Optional.empty();
        if (!accessLog.has("path")) {
            accessLog.missing("path", "a file path, or - for standard output");
        }
        AccessLogConfig.Format format = accessLog.get("format", FORMAT, AccessLogConfig.Format.COMBINED);
        accessLog.finish();
        if (path.isEmpty()) {
            return AccessLogConfig.OFF;
        }
        if (path.get().equals("-")) {
            return new AccessLogConfig(Optional.empty(), true, format);
        }
        Optional<Path> file = accessLog.optional("path", ScalarType.file(baseDir));
        return new AccessLogConfig(file, false, format);
    }
}
