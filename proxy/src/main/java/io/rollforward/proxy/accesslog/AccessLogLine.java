package io.rollforward.proxy.accesslog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.rollforward.config.AccessLogConfig;
import io.rollforward.proxy.exchange.ExchangeSummary;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One access log line from an {@link ExchangeSummary}, in either format:
 * <pre>
 * combined: 127.0.0.1 - - [01/Dec/2026:09:48:39 +0000] "GET /a HTTP/1.1" 200 12 "-" "curl/8.5.0" served_by=web2 outcome=rolled_forward cause=timeout duration_ms=5003.1
 * json:     {"time":"2026-12-01T09:48:39.123Z","client":"127.0.0.1","method":"GET",...,"duration_ms":5003.1}
 * </pre>
 * The combined part is Apache's {@code LogFormat "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-agent}i\""}
 * (times in UTC, a body of 0 bytes as 0), so tools that read Apache's log read this one; the
 * fields after it are {@code key=value}. Quotes, backslashes and control characters in the
 * request line and headers are escaped as Apache does ({@code \"}, {@code \\}, {@code \xhh}).
 */
final class AccessLogLine {
    private static final DateTimeFormatter CLF_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final JsonFactory JSON = new JsonFactory();

    private AccessLogLine() {
    }

    static String format(AccessLogConfig.Format format, ExchangeSummary s) {
        return format == AccessLogConfig.Format.JSON ? json(s) : combined(s);
    }

    static String combined(ExchangeSummary s) {
        StringBuilder b = new StringBuilder(200);
        b.append(s.clientAddress()).append(" - - [").append(CLF_TIME.format(Instant.ofEpochMilli(s.startEpochMillis())))
                .append("] \"");
        escape(b, s.method() + " " + s.target() + " " + s.protocol());
        b.append("\" ").append(s.status()).append(' ').append(s.bodyBytes()).append(" \"");
        escape(b, s.referer() == null ? "-" : s.referer());
        b.append("\" \"");
        escape(b, s.userAgent() == null ? "-" : s.userAgent());
        b.append("\" served_by=").append(s.servedBy())
                .append(" outcome=").append(s.outcome().tag())
                .append(" cause=").append(s.cause() == null ? "-" : s.cause().tag())
                .append(" duration_ms=").append(millis(s.durationNanos()));
        return b.toString();
    }

    static String json(ExchangeSummary s) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", Instant.ofEpochMilli(s.startEpochMillis()).toString());
            g.writeStringField("client", s.clientAddress());
            g.writeStringField("method", s.method());
            g.writeStringField("target", s.target());
            g.writeStringField("protocol", s.protocol());
            g.writeNumberField("status", s.status());
            g.writeNumberField("bytes", s.bodyBytes());
            g.writeStringField("referer", s.referer());
            g.writeStringField("user_agent", s.userAgent());
            g.writeStringField("served_by", s.servedBy());
            g.writeStringField("outcome", s.outcome().tag());
            g.writeStringField("cause", s.cause() == null ? null : s.cause().tag());
            g.writeFieldName("duration_ms");
            g.writeRawValue(millis(s.durationNanos()));
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /** Milliseconds with one decimal, e.g. {@code 12.3}. */
    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }

    private static void escape(StringBuilder b, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                b.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
    }
}
