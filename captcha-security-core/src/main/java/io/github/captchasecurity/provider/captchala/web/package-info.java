/**
 * HTTP endpoint of the CaptchaLa provider: issues server challenges bound to the client
 * IP, as a plain servlet filter.
 */
@NullMarked
package io.github.captchasecurity.provider.captchala.web;

import org.jspecify.annotations.NullMarked;
