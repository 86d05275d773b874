/**
 * The Redis store ({@code captcha.store.type=redis}): the replay cache, failure counters,
 * built-in challenge store and rate limiter shared by every instance, on Spring Data
 * Redis (Lettuce), each operation one command or one single-key script.
 */
@NullMarked
package io.github.captchasecurity.store.redis;

import org.jspecify.annotations.NullMarked;
