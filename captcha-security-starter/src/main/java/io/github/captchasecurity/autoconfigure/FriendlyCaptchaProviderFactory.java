package io.github.captchasecurity.autoconfigure;

import io.github.captchasecurity.CaptchaVerifier;
import io.github.captchasecurity.ProviderCapabilities;
import io.github.captchasecurity.ProviderPolicy;
import io.github.captchasecurity.provider.friendly.FriendlyCaptchaVerifier;

/**
 * Type {@code friendly-captcha}: {@code api-key} (required), {@code site-key},
 * {@code verify-url}.
 */
final class FriendlyCaptchaProviderFactory implements ShippedProviderFactory {

	@Override
	public String type() {
		return FriendlyCaptchaVerifier.CAPABILITIES.type();
	}

	@Override
	public boolean builds(CaptchaVerifier verifier) {
		return verifier instanceof FriendlyCaptchaVerifier;
	}

	@Override
	public ProviderCapabilities capabilities() {
		return FriendlyCaptchaVerifier.CAPABILITIES;
	}

	@Override
	public ProviderPolicy createProvider(CaptchaProviderDefinition definition) {
		CaptchaProperties.Provider properties = definition.properties();
		return definition.policy(new FriendlyCaptchaVerifier(definition.name(),
				definition.url("verify-url", properties.getVerifyUrl(), FriendlyCaptchaVerifier.DEFAULT_VERIFY_URL),
				definition.required("api-key", properties.getApiKey()), PropertyChecks.trimmed(properties.getSiteKey()),
				definition.httpClient()), capabilities());
	}

}
