package io.rollforward.proxy.exchange;

/**
 * What every exchange of the proxy shares: where it reports, the divergence sampler, the buffer
 * budget, the query-of-death guard (null when off) and the internal-error log.
 */
public record ExchangeServices(ExchangeEvents events, DivergenceLog divergenceLog, BufferBudget budget,
                               QueryOfDeath queryOfDeath, InternalErrors internalErrors) {
}
