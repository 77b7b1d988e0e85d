package io.rollforward.proxy.hardening;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of what the proxy wrote to a client: a sequence of whole HTTP/1.1 responses,
 * each with a status line, CRLF-terminated header lines and a body framed by Content-Length or
 * chunked coding. Anything else is an {@link AssertionError}: the proxy must never emit a
 * malformed response, whatever it was sent.
 */
final class HttpResponses {
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 ([1-5][0-9][0-9]) [^\\r\\n]*");
    private static final Pattern HEADER_LINE = Pattern.compile("([!#$%&'*+.^_`|~0-9A-Za-z-]+): ?([^\\r\\n]*)");

    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private HttpResponses() {
    }

    static List<Response> parse(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.ISO_8859_1);
        List<Response> out = new ArrayList<>();
        int pos = 0;
        while (pos < s.length()) {
            int end = s.indexOf("\r\n", pos);
            check(end > 0, "no status line end", s, pos);
            Matcher status = STATUS_LINE.matcher(s.substring(pos, end));
            check(status.matches(), "bad status line", s, pos);
            pos = end + 2;
            Map<String, String> headers = new LinkedHashMap<>();
            while (true) {
                end = s.indexOf("\r\n", pos);
                check(end >= 0, "unterminated header section", s, pos);
                if (end == pos) {
                    pos += 2;
                    break;
                }
                Matcher h = HEADER_LINE.matcher(s.substring(pos, end));
                check(h.matches(), "bad header line", s, pos);
                String name = h.group(1).toLowerCase(Locale.ROOT);
                check(!headers.containsKey(name) || !name.equals("content-length"), "duplicate Content-Length", s, pos);
                headers.put(name, h.group(2));
                pos = end + 2;
            }
            int code = Integer.parseInt(status.group(1));
            String body;
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                check(!headers.containsKey("content-length"), "Content-Length with chunked", s, pos);
                StringBuilder b = new StringBuilder();
                while (true) {
                    end = s.indexOf("\r\n", pos);
                    check(end > pos, "bad chunk size line", s, pos);
                    int size = Integer.parseInt(s.substring(pos, end), 16);
                    pos = end + 2;
                    if (size == 0) {
                        check(s.startsWith("\r\n", pos), "bad last chunk", s, pos);
                        pos += 2;
                        break;
                    }
                    check(pos + size + 2 <= s.length() && s.startsWith("\r\n", pos + size), "bad chunk", s, pos);
                    b.append(s, pos, pos + size);
                    pos += size + 2;
                }
                body = b.toString();
            } else {
                String cl = headers.get("content-length");
                check(cl != null || code == 204 || code == 304 || code < 200, "no body framing", s, pos);
                int length = cl == null ? 0 : Integer.parseInt(cl);
                check(pos + length <= s.length(), "body shorter than Content-Length", s, pos);
                body = s.substring(pos, pos + length);
                pos += length;
            }
            out.add(new Response(code, headers, body));
        }
        return out;
    }

    private static void check(boolean ok, String what, String all, int pos) {
        if (!ok) {
            throw new AssertionError("malformed response output (" + what + ") at " + pos + " in:\n" + all);
        }
    }
}
