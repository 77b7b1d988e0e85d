/**
 * What each request did, written down: the access log (one line per request, combined or JSON,
 * written by a thread of its own so no event loop ever waits for a disk) and the WARN lines for
 * the proxy's own 5xx answers. Fed by {@link io.rollforward.proxy.exchange.ExchangeEvents#exchangeEnded};
 * wired by {@link io.rollforward.proxy.Rollforward}.
 */
package io.rollforward.proxy.accesslog;
