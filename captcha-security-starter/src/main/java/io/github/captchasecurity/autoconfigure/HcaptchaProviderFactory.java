package io.github.captchasecurity.autoconfigure;

import io.github.captchasecurity.CaptchaVerifier;
import io.github.captchasecurity.ProviderCapabilities;
import io.github.captchasecurity.ProviderPolicy;
import io.github.captchasecurity.provider.hcaptcha.HcaptchaVerifier;

/**
 * Type {@code hcaptcha}: {@code secret} (required), {@code site-key}, {@code verify-url}.
 */
final class HcaptchaProviderFactory implements ShippedProviderFactory {

	@Override
	public String type() {
		return HcaptchaVerifier.CAPABILITIES.type();
	}

	@Override
	public boolean builds(CaptchaVerifier verifier) {
		return verifier instanceof HcaptchaVerifier;
	}

	@Override
	public ProviderCapabilities capabilities() {
		return HcaptchaVerifier.CAPABILITIES;
	}

	@Override
	public ProviderPolicy createProvider(CaptchaProviderDefinition definition) {
		CaptchaProperties.Provider properties = definition.properties();
		return definition.policy(new HcaptchaVerifier(definition.name(),
				definition.url("verify-url", properties.getVerifyUrl(), HcaptchaVerifier.DEFAULT_VERIFY_URL),
				definition.required("secret", properties.getSecret()), PropertyChecks.trimmed(properties.getSiteKey()),
				definition.httpClient()), capabilities());
	}

}
