package io.rollforward.proxy.exchange;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * What one exchange did, as the access log writes it: reported once, when the client's reply is
 * done (sent, cut off, or the client left first).
 *
 * @param method          request method
 * @param target          request target as the client sent it
 * @param protocol        the client's protocol, {@code HTTP/1.1}
 * @param clientAddress   the peer's IP address ({@code -} when unknown)
 * @param referer         the {@code Referer} header, or null
 * @param userAgent       the {@code User-Agent} header, or null
 * @param status          status sent to the client; 0 when none was (the client left first)
 * @param bodyBytes       body bytes sent to the client
 * @param servedBy        replica whose reply was sent, or {@code none}
 * @param outcome         master, rolled forward, or failed
 * @param cause           why the acting master's reply was not the one sent, or why a streamed
 *                        reply was cut; null when the master's reply was sent whole
 * @param failureDetail   one line naming each replica's cause when every replica failed, or null
 * @param startEpochMillis when the whole request had arrived (wall clock)
 * @param durationNanos   from then to the end of the reply
 */
public record ExchangeSummary(String method, String target, String protocol, String clientAddress,
                              String referer, String userAgent, int status, long bodyBytes, String servedBy,
                              Outcome outcome, FailureCause cause, String failureDetail, long startEpochMillis,
                              long durationNanos) {

    /** The summary of {@code request}, received from {@code peer} at {@code startNanos} (nanoTime). */
    static ExchangeSummary of(HttpRequest request, SocketAddress peer, int status, long bodyBytes, String servedBy,
                              Outcome outcome, FailureCause cause, String failureDetail, long startEpochMillis,
                              long startNanos) {
        String client = peer instanceof InetSocketAddress inet && inet.getAddress() != null
                ? AddressText.of(inet.getAddress()) : "-";
        return new ExchangeSummary(request.method().name(), request.uri(), request.protocolVersion().text(), client,
                request.headers().get(HttpHeaderNames.REFERER), request.headers().get(HttpHeaderNames.USER_AGENT),
                status, bodyBytes, servedBy, outcome, cause, failureDetail, startEpochMillis,
                System.nanoTime() - startNanos);
    }

    /** A 5xx the proxy made itself (no replica's reply was sent). */
    public boolean proxysOwnError() {
        return status >= 500 && outcome == Outcome.FAILED;
    }
}
