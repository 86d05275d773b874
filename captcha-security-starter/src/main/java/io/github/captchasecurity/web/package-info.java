/**
 * Spring Web support for the CAPTCHA filter: route matching with Spring's
 * {@code PathPattern}.
 */
@NullMarked
package io.github.captchasecurity.web;

import org.jspecify.annotations.NullMarked;
