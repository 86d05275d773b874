/**
 * Spring Security web support: CAPTCHA after failed logins, and CAPTCHA failures answered
 * like failed logins.
 */
@NullMarked
package io.github.captchasecurity.security.web;

import org.jspecify.annotations.NullMarked;
