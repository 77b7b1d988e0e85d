/**
 * Facts about HTTP messages that several rooms read the same way: the front, the schedulers and
 * the write order all name a request by its target, so they share one reading of it here.
 */
package io.rollforward.proxy.http;
