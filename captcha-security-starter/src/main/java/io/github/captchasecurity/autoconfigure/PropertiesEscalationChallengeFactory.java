package io.github.captchasecurity.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.github.captchasecurity.EscalationChallengeFactory;
import io.github.captchasecurity.ProviderCapabilities;
import io.github.captchasecurity.ProviderPolicy;
import io.github.captchasecurity.VerificationContext;
import io.github.captchasecurity.provider.builtin.BuiltinCaptchaException;
import io.github.captchasecurity.provider.builtin.BuiltinCaptchaService;
import org.jspecify.annotations.Nullable;

/**
 * Describes escalation challenges from the configuration: provider, type, public site key
 * and form field; for the built-in provider a freshly generated challenge of the first
 * type the escalation asks for (the route's {@code escalate-challenge-types}, grid by
 * default) and the generate URL.
 */
final class PropertiesEscalationChallengeFactory implements EscalationChallengeFactory {

	/**
	 * The challenge type escalations to the built-in provider ask for when the rule names
	 * none.
	 */
	static final String BUILTIN_TYPE = "grid";

	private final CaptchaProperties properties;

	private final CaptchaProviderRegistry providers;

	private final Supplier<BuiltinCaptchaService> builtin;

	PropertiesEscalationChallengeFactory(CaptchaSettings settings, CaptchaProviderRegistry providers,
			Supplier<BuiltinCaptchaService> builtin) {
		this.properties = settings.properties();
		this.providers = providers;
		this.builtin = builtin;
	}

	@Override
	public Map<String, Object> challenge(String provider, @Nullable String action, VerificationContext context) {
		return challenge(provider, action, List.of(), context);
	}

	@Override
	public Map<String, Object> challenge(String provider, @Nullable String action, List<String> challengeTypes,
			VerificationContext context) {
		CaptchaProperties.Provider settings = this.properties.getProviders().get(provider);
		ProviderCapabilities capabilities = this.providers.capabilities(provider);
		ProviderPolicy policy = this.providers.policy(provider);
		Map<String, Object> challenge = new LinkedHashMap<>();
		challenge.put("provider", provider);
		if (capabilities == null || policy == null || capabilities == CaptchaProviderRegistry.BEAN_CAPABILITIES) {
			return challenge;
		}
		if (policy.formField() != null) {
			challenge.put("form_field", policy.formField());
		}
		if (!capabilities.selfHosted()) {
			challenge.put("type", capabilities.type());
			if (settings != null && settings.getSiteKey() != null) {
				challenge.put("site_key", settings.getSiteKey());
			}
			return challenge;
		}
		String asked = challengeTypes.isEmpty() ? BUILTIN_TYPE : challengeTypes.get(0);
		challenge.put("type", asked);
		challenge.put("generate_url", this.properties.getBuiltin().getBasePath() + "/generate");
		String siteKey = plainSiteKey();
		if (siteKey != null) {
			challenge.put("site_key", siteKey);
			try {
				challenge.put("generated",
						this.builtin.get().generate(siteKey, asked, 300, action, context.clientIp()).toJson());
			}
			catch (BuiltinCaptchaException ex) {
				// rate limited: the client can still call generate_url itself later
			}
		}
		return challenge;
	}

	private @Nullable String plainSiteKey() {
		for (String key : this.properties.getBuiltin().getSiteKeys()) {
			if (key != null && !key.isBlank() && !key.trim().regionMatches(true, 0, "sha256:", 0, 7)) {
				return key.trim();
			}
		}
		return null;
	}

}
