/**
 * Spring application events for CAPTCHA decisions: verified, rejected, escalated and
 * rate-limited.
 */
@NullMarked
package io.github.captchasecurity.event;

import org.jspecify.annotations.NullMarked;
