package io.rollforward.proxy.testing;

/**
 * The CGI scripts every {@link ApacheInstance} serves. Same text as {@code bench/origin/cgi-bin/}:
 * keep the two in step. Plain {@code /bin/sh} so www-data can run them without any interpreter
 * from a user's home directory.
 */
final class OriginScripts {
    /** {@code /cgi-bin/slow?ms=N[&id=X]}: sleeps N ms (default 200), answers with {@code X-Req-Id: X}. */
    static final String SLOW = """
            #!/bin/sh
            # /cgi-bin/slow?ms=N[&id=X]: sleeps N milliseconds (default 200), then answers 200.
            # The id comes back as X-Req-Id so a load client can match replies to requests. The body is
            # the same on every origin (the origin name is only in the X-Origin header), so a mirroring
            # proxy sees no divergence.
            # Shell built-ins only (plus sleep): the failover bench runs ~250 of these a second.
            set -f
            ms=200
            id=
            IFS='&'
            for kv in $QUERY_STRING; do
              case "$kv" in
                ms=*) ms=${kv#ms=} ;;
                id=*) id=${kv#id=} ;;
              esac
            done
            case "$ms" in ''|*[!0-9]*) ms=200 ;; esac
            case "$id" in *[!A-Za-z0-9_.-]*) id= ;; esac
            sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
            printf 'Content-Type: text/plain\\r\\nX-Req-Id: %s\\r\\nX-Slept-Ms: %s\\r\\n\\r\\nslept %s ms\\n' \\
              "$id" "$ms" "$ms"
            """;

    /**
     * {@code /cgi-bin/echo[?status=N]}: the request body back verbatim; method, URI, body length and
     * SHA-256 as {@code X-Echo-*} headers; each {@code X-*} request header as {@code X-Echo-<name>};
     * one line per request in {@code logs/echo.log}.
     */
    static final String ECHO = """
            #!/bin/sh
            # /cgi-bin/echo[?status=N]: answers with the request body verbatim (status N, default 200).
            # Method, URI, body length and SHA-256 come back as X-Echo-* headers, every X-* request
            # header as X-Echo-<name>, and one line "METHOD URI LENGTH SHA256" is appended to $ECHO_LOG,
            # so a test can check that the backup received exactly what the master did.
            set -f
            status=200
            IFS='&'
            for kv in $QUERY_STRING; do
              case "$kv" in status=*) status=${kv#status=} ;; esac
            done
            unset IFS
            case "$status" in [1-5][0-9][0-9]) ;; *) status=200 ;; esac
            body=$(mktemp) || exit 1
            trap 'rm -f "$body"' EXIT
            if [ -n "$CONTENT_LENGTH" ]; then head -c "$CONTENT_LENGTH" > "$body"; else cat > "$body"; fi
            size=$(wc -c < "$body")
            sum=$(sha256sum < "$body")
            sum=${sum%% *}
            printf '%s %s %s %s\\n' "$REQUEST_METHOD" "$REQUEST_URI" "$size" "$sum" >> "$ECHO_LOG"
            printf 'Status: %s\\r\\nContent-Type: application/octet-stream\\r\\n' "$status"
            printf 'X-Echo-Method: %s\\r\\nX-Echo-Uri: %s\\r\\n' "$REQUEST_METHOD" "$REQUEST_URI"
            printf 'X-Echo-Body-Length: %s\\r\\nX-Echo-Body-Sha256: %s\\r\\n' "$size" "$sum"
            [ -n "$CONTENT_TYPE" ] && printf 'X-Echo-Content-Type: %s\\r\\n' "$CONTENT_TYPE"
            env | while IFS='=' read -r key value; do
              case "$key" in
                HTTP_X_*) printf 'X-Echo-%s: %s\\r\\n' "$(printf '%s' "${key#HTTP_}" | tr 'A-Z_' 'a-z-')" "$value" ;;
              esac
            done
            printf '\\r\\n'
            cat "$body"
            """;

    private OriginScripts() {
    }
}
