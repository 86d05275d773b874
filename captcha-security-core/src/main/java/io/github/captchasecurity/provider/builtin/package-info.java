/**
 * The built-in, self-hosted CAPTCHA: image, math, tile-grid and proof-of-work (ALTCHA v1)
 * challenges, signed single-use pass tokens, and the per-site-key rate limits of its
 * generate/validate API.
 */
@NullMarked
package io.github.captchasecurity.provider.builtin;

import org.jspecify.annotations.NullMarked;
