/**
 * The HTTP client providers are asked through: pooled connections and strict timeouts.
 */
@NullMarked
package io.github.captchasecurity.http;

import org.jspecify.annotations.NullMarked;
