/**
 * The sample application: routes protected by captcha-security through
 * {@code application.yml}, {@code @RequireCaptcha} and the Spring Security configurer,
 * with the pages that show the widgets.
 */
package io.github.captchasecurity.sample;
