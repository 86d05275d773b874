package io.github.captchasecurity.autoconfigure;

import io.github.captchasecurity.CaptchaVerificationService;

/**
 * Callback to customize the auto-configured {@link CaptchaVerificationService} through
 * its builder: add listeners, decision customizers, another replay cache or clock,
 * without replacing the engine. Every bean of this type is applied, in
 * {@link org.springframework.core.Ordered order}, after the providers and the
 * application's {@code VerificationListener} and {@code CaptchaDecisionCustomizer} beans
 * are added; the auto-configuration's metrics and application-event listeners stay
 * attached whatever a customizer does.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface CaptchaVerificationServiceBuilderCustomizer {

	/**
	 * Customize the builder.
	 * @param builder the builder of the engine
	 */
	void customize(CaptchaVerificationService.Builder builder);

}
