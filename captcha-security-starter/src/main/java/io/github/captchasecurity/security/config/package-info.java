/**
 * The Spring Security DSL: {@code http.with(captcha(), (c) -> c.requireOn("/login"))}.
 */
@NullMarked
package io.github.captchasecurity.security.config;

import org.jspecify.annotations.NullMarked;
