/**
 * HTTP endpoints of the built-in provider: challenge generation, validation and the
 * widget script, as a plain servlet filter.
 */
@NullMarked
package io.github.captchasecurity.provider.builtin.web;

import org.jspecify.annotations.NullMarked;
