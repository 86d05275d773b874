/**
 * Friendly Captcha v2 through its {@code siteverify} API.
 */
@NullMarked
package io.github.captchasecurity.provider.friendly;

import org.jspecify.annotations.NullMarked;
