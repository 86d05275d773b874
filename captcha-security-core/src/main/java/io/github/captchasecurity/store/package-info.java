/**
 * What the engine's stores (replay cache, failure counters, challenge store, rate
 * limiter) share: the exception a store implementation over a remote system (Redis)
 * throws when it cannot answer.
 */
@NullMarked
package io.github.captchasecurity.store;

import org.jspecify.annotations.NullMarked;
