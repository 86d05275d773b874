/**
 * reCAPTCHA Enterprise through the {@code projects.assessments.create} API.
 */
@NullMarked
package io.github.captchasecurity.provider.enterprise;

import org.jspecify.annotations.NullMarked;
