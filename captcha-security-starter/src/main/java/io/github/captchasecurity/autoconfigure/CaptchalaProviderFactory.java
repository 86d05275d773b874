package io.github.captchasecurity.autoconfigure;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.github.captchasecurity.CaptchaVerifier;
import io.github.captchasecurity.ProviderCapabilities;
import io.github.captchasecurity.ProviderPolicy;
import io.github.captchasecurity.http.CaptchaHttpClient;
import io.github.captchasecurity.provider.captchala.CaptchalaChallengeClient;
import io.github.captchasecurity.provider.captchala.CaptchalaVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.StringUtils;

/**
 * Type {@code captchala}: {@code app-key}, {@code app-secret} (required),
 * {@code verify-url}, {@code fallback-url}, {@code issue-url},
 * {@code accept-client-only}, {@code accept-degraded}; also the clients of its
 * server-challenge endpoint.
 */
final class CaptchalaProviderFactory implements ShippedProviderFactory {

	private static final Logger logger = LoggerFactory.getLogger(CaptchalaProviderFactory.class);

	@Override
	public String type() {
		return CaptchalaVerifier.CAPABILITIES.type();
	}

	@Override
	public boolean builds(CaptchaVerifier verifier) {
		return verifier instanceof CaptchalaVerifier;
	}

	@Override
	public ProviderCapabilities capabilities() {
		return CaptchalaVerifier.CAPABILITIES;
	}

	@Override
	public ProviderPolicy createProvider(CaptchaProviderDefinition definition) {
		CaptchaProperties.Provider properties = definition.properties();
		if (properties.getMinScore() != null) {
			definition.reject("min-score", properties.getMinScore(),
					"is not supported by type " + type() + ": it does not score tokens");
		}
		URI url = definition.url("verify-url", properties.getVerifyUrl(), CaptchalaVerifier.DEFAULT_VERIFY_URL);
		URI fallback = definition.url("fallback-url", properties.getFallbackUrl(),
				CaptchalaVerifier.DEFAULT_FALLBACK_URL);
		definition.url("issue-url", properties.getIssueUrl(), CaptchalaChallengeClient.DEFAULT_ISSUE_URL);
		String prefix = definition.property("");
		if (properties.isAcceptClientOnly()) {
			logger.warn("CAPTCHA provider '{}' accepts CaptchaLa client_ tokens WITHOUT server-side verification "
					+ "({}accept-client-only=true)", definition.name(), prefix);
		}
		if (properties.isAcceptDegraded()) {
			logger.warn("CAPTCHA provider '{}' accepts degraded CaptchaLa dg_ tokens issued when the quota is "
					+ "exhausted ({}accept-degraded=true)", definition.name(), prefix);
		}
		return definition.policy(new CaptchalaVerifier(definition.name(), url, fallback,
				definition.required("app-key", properties.getAppKey()),
				definition.required("app-secret", properties.getAppSecret()), properties.isAcceptClientOnly(),
				properties.isAcceptDegraded(), definition.httpClient()), capabilities());
	}

	/**
	 * Server-challenge clients of the captchala providers, by name.
	 * @param providers the configured providers by name
	 * @param http the HTTP client of the providers
	 * @return the clients by provider name
	 */
	static Map<String, CaptchalaChallengeClient> challengeClients(Map<String, CaptchaProperties.Provider> providers,
			CaptchaHttpClient http) {
		Map<String, CaptchalaChallengeClient> clients = new LinkedHashMap<>();
		providers.forEach((name, provider) -> {
			String type = (provider.getType() != null) ? provider.getType().trim().toLowerCase(Locale.ROOT) : null;
			if (CaptchalaVerifier.CAPABILITIES.type().equals(type) && StringUtils.hasText(provider.getAppKey())
					&& StringUtils.hasText(provider.getAppSecret())) {
				URI url = PropertyChecks.url("providers." + name + ".issue-url", provider.getIssueUrl(),
						CaptchalaChallengeClient.DEFAULT_ISSUE_URL);
				clients.put(name, new CaptchalaChallengeClient(url, provider.getAppKey().trim(),
						provider.getAppSecret().trim(), http));
			}
		});
		return clients;
	}

}
