/**
 * Verification engine: the provider SPI, request and result value types, and the ordered
 * checks.
 */
@NullMarked
package io.github.captchasecurity;

import org.jspecify.annotations.NullMarked;
