/**
 * Abuse controls: failed verifications counted per client IP and per account in a window,
 * for step-up and blocking.
 */
@NullMarked
package io.github.captchasecurity.abuse;

import org.jspecify.annotations.NullMarked;
