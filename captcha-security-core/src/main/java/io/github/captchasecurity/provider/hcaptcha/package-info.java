/**
 * hCaptcha (Publisher, Pro and Enterprise) through its {@code siteverify} API.
 */
@NullMarked
package io.github.captchasecurity.provider.hcaptcha;

import org.jspecify.annotations.NullMarked;
