/**
 * The texts the server answers with (problem titles and details, built-in API errors,
 * challenge questions, the login error), in eight languages, and the choice of language
 * from a request's {@code Accept-Language}. Spring-free; the starter backs
 * {@link io.github.captchasecurity.message.CaptchaMessages} with Spring's
 * {@code MessageSource}.
 */
@NullMarked
package io.github.captchasecurity.message;

import org.jspecify.annotations.NullMarked;
