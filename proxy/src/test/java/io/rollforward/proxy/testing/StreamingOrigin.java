package io.rollforward.proxy.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Streamed content for an {@link ApacheInstance}: replies that take a while and that a test can
 * cut mid-body. Installed into a running instance's ServerRoot (CGIs need no restart):
 *
 * <ul>
 *   <li>{@code /cgi-bin/stream?file=NAME&kibps=N}: the DocumentRoot file NAME, 64 KiB at a time at
 *       about N KiB/s, with its Content-Length; {@code ?random=BYTES&kibps=N}: random bytes,
 *       different on every request and origin (a non-deterministic application);</li>
 *   <li>{@code /cgi-bin/sse?n=N&ms=M}: a server-sent-events stream, N events, one every M ms;</li>
 *   <li>{@link #installFile}: a large deterministic file, the same bytes on every origin.</li>
 * </ul>
 *
 * Same text as {@code bench/origin/cgi-bin/stream} and {@code sse}: keep the two in step.
 */
public final class StreamingOrigin {
    /** {@code /cgi-bin/stream}: a file or random bytes at a set rate. */
    static final String STREAM = """
            #!/bin/sh
            # /cgi-bin/stream?file=NAME[&kibps=N]: the DocumentRoot file NAME, 64 KiB at a time at about N KiB/s
            # (default 1024), with its Content-Length: a download that takes a while, so a test can kill the
            # origin mid-body. Both origins serve the same bytes.
            # /cgi-bin/stream?random=BYTES[&kibps=N]: BYTES (rounded up to 64 KiB) random bytes, different on
            # every request and origin: a non-deterministic application, whose replies cannot be spliced.
            set -f
            file=
            random=
            kibps=1024
            IFS='&'
            for kv in $QUERY_STRING; do
              case "$kv" in
                file=*) file=${kv#file=} ;;
                random=*) random=${kv#random=} ;;
                kibps=*) kibps=${kv#kibps=} ;;
              esac
            done
            unset IFS
            case "$kibps" in ''|*[!0-9]*|0) kibps=1024 ;; esac
            if [ -n "$random" ]; then
              case "$random" in *[!0-9]*) printf 'Status: 400\\r\\n\\r\\n'; exit 0 ;; esac
              chunks=$(( (random + 65535) / 65536 ))
              size=$((chunks * 65536))
            else
              case "$file" in ''|*/*|.*) printf 'Status: 400\\r\\n\\r\\n'; exit 0 ;; esac
              src="$DOCUMENT_ROOT/$file"
              [ -f "$src" ] || { printf 'Status: 404\\r\\n\\r\\n'; exit 0; }
              size=$(wc -c < "$src")
              chunks=$(( (size + 65535) / 65536 ))
            fi
            pause=$(awk -v k="$kibps" 'BEGIN { printf "%.4f", 64 / k }')
            printf 'Content-Type: application/octet-stream\\r\\nContent-Length: %s\\r\\n\\r\\n' "$size"
            i=0
            while [ "$i" -lt "$chunks" ]; do
              if [ -n "$random" ]; then
                head -c 65536 /dev/urandom
              else
                dd if="$src" bs=65536 skip="$i" count=1 2>/dev/null
              fi
              i=$((i + 1))
              [ "$i" -lt "$chunks" ] && sleep "$pause"
            done
            exit 0
            """;

    /** {@code /cgi-bin/sse}: server-sent events at a set pace. */
    static final String SSE = """
            #!/bin/sh
            # /cgi-bin/sse[?n=N&ms=M]: a server-sent-events stream of N events (default 10), the first at once,
            # then one every M milliseconds (default 200); each "id: I" and "data: event I". No Content-Length:
            # the stream ends when the script does.
            set -f
            n=10
            ms=200
            IFS='&'
            for kv in $QUERY_STRING; do
              case "$kv" in
                n=*) n=${kv#n=} ;;
                ms=*) ms=${kv#ms=} ;;
              esac
            done
            unset IFS
            case "$n" in ''|*[!0-9]*) n=10 ;; esac
            case "$ms" in ''|*[!0-9]*) ms=200 ;; esac
            pause="$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
            printf 'Content-Type: text/event-stream\\r\\nCache-Control: no-cache\\r\\n\\r\\n'
            i=1
            while [ "$i" -le "$n" ]; do
              printf 'id: %d\\ndata: event %d\\n\\n' "$i" "$i"
              [ "$i" -lt "$n" ] && sleep "$pause"
              i=$((i + 1))
            done
            exit 0
            """;

    private StreamingOrigin() {
    }

    /** Writes {@code /cgi-bin/stream} and {@code /cgi-bin/sse} into the instance's ServerRoot. */
    public static void installScripts(ApacheInstance apache) throws IOException {
        Path cgiBin = apache.docRoot().resolveSibling("cgi-bin");
        writeScript(cgiBin.resolve("stream"), STREAM);
        writeScript(cgiBin.resolve("sse"), SSE);
    }

    /**
     * Writes {@code size} deterministic bytes ({@link #bytes(int)}) as DocumentRoot file {@code name}
     * and returns them.
     */
    public static byte[] installFile(ApacheInstance apache, String name, int size) throws IOException {
        byte[] bytes = bytes(size);
        Path file = apache.docRoot().resolve(name);
        Files.write(file, bytes);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return bytes;
    }

    /** The same bytes {@link ApacheInstance} serves in its own files: they depend only on the offset. */
    public static byte[] bytes(int size) {
        return ApacheServerRoot.deterministicBytes(size);
    }

    private static void writeScript(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
