package io.rollforward.config.internal;

import io.rollforward.config.DivergenceConfig;
import io.rollforward.config.DivergenceConfig.OnWrite;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads {@code divergence}: which headers count, what of the body is ignored, what a differing write does. */
final class DivergenceReader {
    static final ScalarType<String> REGEX = new ScalarType<>("a regular expression (Java syntax) that cannot match empty text",
            text -> {
                try {
                    // An empty match would blank nothing but still cost a pass over every body.
                    if (Pattern.compile(text).matcher("").matches()) {
                        throw new IllegalArgumentException(text);
                    }
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException(text, e);
                }
                return text;
            });
    static final ScalarType<OnWrite> ON_WRITE = new ScalarType<>("log or eject", text -> switch (text) {
        case "log" -> OnWrite.LOG;
        case "eject" -> OnWrite.EJECT;
        default -> throw new IllegalArgumentException(text);
    });

    private DivergenceReader() {
    }

    /** @param ordered whether the file has an {@code ordering} section: eject applies to ordered writes */
    static DivergenceConfig read(Section divergence, boolean ordered) {
        DivergenceConfig d = DivergenceConfig.DEFAULT;
        List<String> headers = divergence.list("compare-headers", ScalarType.HEADER_FIELD).orElse(d.compareHeaders());
        List<String> ignore = divergence.list("ignore-body", REGEX).orElse(d.ignoreBody());
        OnWrite onWrite = divergence.get("on-write", ON_WRITE, d.onWrite());
        divergence.rule("on-write", onWrite == OnWrite.LOG || ordered,
                "log without an 'ordering' section: eject applies to ordered writes");
        divergence.finish();
        return new DivergenceConfig(headers, ignore, onWrite);
    }
}
