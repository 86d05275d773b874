package io.github.captchasecurity.autoconfigure;

import java.time.Duration;

import io.github.captchasecurity.CaptchaVerifier;
import io.github.captchasecurity.ProviderCapabilities;
import io.github.captchasecurity.ProviderPolicy;
import io.github.captchasecurity.provider.builtin.BuiltinCaptchaService;
import io.github.captchasecurity.provider.builtin.BuiltinCaptchaVerifier;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Type {@code builtin}: challenges served by this application under
 * {@code captcha.builtin.*}; no hostnames, no score; its token lifetime is
 * {@code captcha.builtin.token-ttl}.
 */
final class BuiltinProviderFactory implements ShippedProviderFactory {

	static final String TYPE = BuiltinCaptchaVerifier.CAPABILITIES.type();

	private final ObjectProvider<BuiltinCaptchaService> service;

	BuiltinProviderFactory(ObjectProvider<BuiltinCaptchaService> service) {
		this.service = service;
	}

	@Override
	public String type() {
		return TYPE;
	}

	@Override
	public boolean builds(CaptchaVerifier verifier) {
		return verifier instanceof BuiltinCaptchaVerifier;
	}

	@Override
	public ProviderCapabilities capabilities() {
		return BuiltinCaptchaVerifier.CAPABILITIES;
	}

	@Override
	public ProviderPolicy createProvider(CaptchaProviderDefinition definition) {
		CaptchaProperties.Provider properties = definition.properties();
		if (!properties.getHostnames().isEmpty()) {
			definition.reject("hostnames", properties.getHostnames(),
					"is not supported by type builtin: its challenges are served by this application");
		}
		BuiltinCaptchaService builtin = this.service.getObject();
		Duration lifetime = builtin.settings().tokenTtl();
		return definition.policy(new BuiltinCaptchaVerifier(definition.name(), builtin),
				capabilities().withTokenLifetime(lifetime));
	}

}
