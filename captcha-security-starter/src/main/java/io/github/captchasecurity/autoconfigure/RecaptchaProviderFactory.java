package io.github.captchasecurity.autoconfigure;

import io.github.captchasecurity.CaptchaVerifier;
import io.github.captchasecurity.ProviderCapabilities;
import io.github.captchasecurity.ProviderPolicy;
import io.github.captchasecurity.provider.recaptcha.RecaptchaVerifier;

/**
 * Type {@code recaptcha}: {@code secret} (required), {@code verify-url}.
 */
final class RecaptchaProviderFactory implements ShippedProviderFactory {

	@Override
	public String type() {
		return RecaptchaVerifier.CAPABILITIES.type();
	}

	@Override
	public boolean builds(CaptchaVerifier verifier) {
		return verifier instanceof RecaptchaVerifier;
	}

	@Override
	public ProviderCapabilities capabilities() {
		return RecaptchaVerifier.CAPABILITIES;
	}

	@Override
	public ProviderPolicy createProvider(CaptchaProviderDefinition definition) {
		CaptchaProperties.Provider properties = definition.properties();
		return definition.policy(
				new RecaptchaVerifier(definition.name(),
						definition.url("verify-url", properties.getVerifyUrl(), RecaptchaVerifier.DEFAULT_VERIFY_URL),
						definition.required("secret", properties.getSecret()), definition.httpClient()),
				capabilities());
	}

}
