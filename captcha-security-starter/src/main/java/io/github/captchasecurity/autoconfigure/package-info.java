/**
 * Spring Boot auto-configuration and configuration properties of captcha-security.
 */
@NullMarked
package io.github.captchasecurity.autoconfigure;

import org.jspecify.annotations.NullMarked;
