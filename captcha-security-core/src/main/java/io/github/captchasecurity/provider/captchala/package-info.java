/**
 * CaptchaLa: token validation and server-issued challenges.
 */
@NullMarked
package io.github.captchasecurity.provider.captchala;

import org.jspecify.annotations.NullMarked;
