package io.github.captchasecurity.autoconfigure;

import io.github.captchasecurity.CaptchaVerifier;
import io.github.captchasecurity.ProviderCapabilities;
import io.github.captchasecurity.ProviderPolicy;
import io.github.captchasecurity.provider.turnstile.TurnstileVerifier;

/**
 * Type {@code turnstile}: {@code secret} (required), {@code cdata}, {@code verify-url}.
 */
final class TurnstileProviderFactory implements ShippedProviderFactory {

	@Override
	public String type() {
		return TurnstileVerifier.CAPABILITIES.type();
	}

	@Override
	public boolean builds(CaptchaVerifier verifier) {
		return verifier instanceof TurnstileVerifier;
	}

	@Override
	public ProviderCapabilities capabilities() {
		return TurnstileVerifier.CAPABILITIES;
	}

	@Override
	public ProviderPolicy createProvider(CaptchaProviderDefinition definition) {
		CaptchaProperties.Provider properties = definition.properties();
		return definition.policy(new TurnstileVerifier(definition.name(),
				definition.url("verify-url", properties.getVerifyUrl(), TurnstileVerifier.DEFAULT_VERIFY_URL),
				definition.required("secret", properties.getSecret()), PropertyChecks.trimmed(properties.getCdata()),
				definition.httpClient()), capabilities());
	}

}
