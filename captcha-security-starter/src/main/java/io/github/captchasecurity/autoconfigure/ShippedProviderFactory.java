package io.github.captchasecurity.autoconfigure;

import io.github.captchasecurity.CaptchaVerifier;

/**
 * Marks the factories of the provider types this library ships: an application's
 * {@link CaptchaProviderFactory} bean of the same type replaces them.
 */
interface ShippedProviderFactory extends CaptchaProviderFactory {

	/**
	 * Whether a verifier is of this type (to know the capabilities of the providers of an
	 * application's own {@code CaptchaVerificationService}).
	 * @param verifier the verifier
	 * @return whether this factory builds such verifiers
	 */
	boolean builds(CaptchaVerifier verifier);

}
