/**
 * Google reCAPTCHA v2 and v3 through the {@code siteverify} API.
 */
@NullMarked
package io.github.captchasecurity.provider.recaptcha;

import org.jspecify.annotations.NullMarked;
