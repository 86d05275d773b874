/**
 * {@code @RequireCaptcha}: CAPTCHA verification declared on Spring MVC controller methods
 * and classes.
 */
@NullMarked
package io.github.captchasecurity.annotation;

import org.jspecify.annotations.NullMarked;
