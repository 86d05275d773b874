/**
 * Cloudflare Turnstile through its {@code siteverify} API, with idempotent retry.
 */
@NullMarked
package io.github.captchasecurity.provider.turnstile;

import org.jspecify.annotations.NullMarked;
