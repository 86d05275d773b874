package io.github.captchasecurity.autoconfigure;

import io.github.captchasecurity.CaptchaVerifier;

/**
 * Replaces the verifier of every provider the auto-configuration builds, for tests: with
 * a bean of this type, each entry of {@code captcha.providers} and each
 * {@link CaptchaVerifier} bean keeps its name, its type's capabilities and its common
 * properties ({@code hostnames}, {@code min-score}, {@code max-token-age},
 * {@code form-field}, ...), but its token is checked by the verifier returned here
 * instead of the provider; the type's own settings (secrets, URLs) are then neither
 * needed nor checked. Routes, {@code @RequireCaptcha}, the engine's checks (replay,
 * action, hostname, score, escalation, abuse control) and the Security configurer stay as
 * configured. Start-up logs a WARN naming the providers replaced.
 * <p>
 * Meant for the {@code captcha-security-test} module's {@code @AutoConfigureCaptchaTest},
 * which declares one only inside a test context; never declare one in an application:
 * nothing would be verified. An application that builds its own
 * {@code CaptchaVerificationService} is not affected.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface CaptchaVerifierOverride {

	/**
	 * The verifier that replaces a provider's.
	 * @param provider the provider name, the key under {@code captcha.providers} or the
	 * bean name
	 * @param type the provider type ({@code builtin}, {@code recaptcha}, ...), or
	 * {@code custom} for a {@link CaptchaVerifier} bean
	 * @return the verifier to use, never null
	 */
	CaptchaVerifier verifier(String provider, String type);

}
