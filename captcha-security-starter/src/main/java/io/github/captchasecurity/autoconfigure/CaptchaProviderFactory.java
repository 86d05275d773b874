package io.github.captchasecurity.autoconfigure;

import io.github.captchasecurity.ProviderCapabilities;
import io.github.captchasecurity.ProviderPolicy;

/**
 * Provider-type SPI of the auto-configuration: builds the providers of one
 * {@code captcha.providers.<name>.type}.
 * <p>
 * Every type shipped (builtin, recaptcha, recaptcha-enterprise, hcaptcha, turnstile,
 * captchala, friendly-captcha) is a factory like this one. An application adds a type by
 * declaring a bean of this interface: {@code captcha.providers.<name>.type} then names
 * its {@link #type()}, and the provider's free-form settings are read from
 * {@code captcha.providers.<name>.settings.*}
 * ({@link CaptchaProviderDefinition#settings()}). A bean whose type is that of a shipped
 * factory replaces it. The providers built get every check of the engine (token length,
 * replay, hostname, action, score, escalation, abuse counting, events and metrics).
 *
 * @since 0.1.0
 */
public interface CaptchaProviderFactory {

	/**
	 * The type this factory builds, as written in {@code captcha.providers.<name>.type}
	 * (lower case).
	 * @return the type
	 */
	String type();

	/**
	 * What providers of this type support. The default: scored (minimum scores apply to
	 * the scores the verifier reports; an answer without a score then fails a minimum),
	 * no server challenges, a five-minute token lifetime, the token in form field
	 * {@code captcha-token}.
	 * @return the capabilities
	 */
	default ProviderCapabilities capabilities() {
		return ProviderCapabilities.builder(type()).scoring(ProviderCapabilities.Scoring.SCORED).build();
	}

	/**
	 * Build one provider of this type. Settings are validated here: a bad or missing one
	 * fails start-up with {@link CaptchaProviderDefinition#requiredSetting(String)} and
	 * the like, which name the property.
	 * @param definition the provider's name and properties
	 * @return the provider, usually
	 * {@link CaptchaProviderDefinition#policy(io.github.captchasecurity.CaptchaVerifier, ProviderCapabilities)}
	 */
	ProviderPolicy createProvider(CaptchaProviderDefinition definition);

}
