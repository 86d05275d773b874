/**
 * Token extraction for the servlet filter: the
 * {@link io.github.captchasecurity.token.CaptchaTokenResolver} strategy and its
 * secure-by-default implementation (header first, form, query and JSON fields opt-in,
 * more than one token rejected), with the request wrapper that replays a body it had to
 * read.
 */
@NullMarked
package io.github.captchasecurity.token;

import org.jspecify.annotations.NullMarked;
