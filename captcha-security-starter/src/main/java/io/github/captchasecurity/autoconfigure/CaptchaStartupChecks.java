package io.github.captchasecurity.autoconfigure;

import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.ProviderPolicy;
import io.github.captchasecurity.provider.hcaptcha.HcaptchaVerifier;
import io.github.captchasecurity.provider.recaptcha.RecaptchaVerifier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Start-up checks of the deployment around the properties: official test secrets in a
 * production profile, a signing key that is a provider secret or a published example, and
 * a forwarded-header strategy that lets any client choose its address. A failure throws
 * {@link InvalidConfigurationPropertyValueException} naming the property; secret values
 * are never part of a message.
 */
final class CaptchaStartupChecks {

	/** The property of Spring Boot that picks how forwarded headers are handled. */
	static final String FORWARD_HEADERS_STRATEGY = "server.forward-headers-strategy";

	/**
	 * Signing keys that are published and so protect nothing: the providers' official
	 * test secrets; keys that decode to one repeated byte (all zeros, ...) are refused
	 * too. README and the sample app show no literal key (only
	 * {@code ${CAPTCHA_SIGNING_KEY}} and {@code openssl rand -base64 32});
	 * {@code CaptchaStartupChecksTests} fails if one appears there that is not in this
	 * list.
	 */
	static final Set<String> EXAMPLE_SIGNING_KEYS = Set.of(RecaptchaVerifier.TEST_SECRET, HcaptchaVerifier.TEST_SECRET,
			"1x" + "0".repeat(31) + "AA", "2x" + "0".repeat(31) + "AA", "3x" + "0".repeat(31) + "AA");

	private static final Logger logger = LoggerFactory.getLogger(CaptchaStartupChecks.class);

	private static final String HIDDEN = "<hidden>";

	private static final String SIGNING_KEY = PropertyChecks.PREFIX + ".builtin.signing-key";

	private static final String ALLOW_STRATEGY = PropertyChecks.PREFIX + ".client-ip.allow-forwarded-header-strategy";

	private static final String TRUSTED_PROXIES = PropertyChecks.PREFIX + ".client-ip.trusted-proxies";

	private final CaptchaProperties properties;

	private final Environment environment;

	CaptchaStartupChecks(CaptchaProperties properties, Environment environment) {
		this.properties = properties;
		this.environment = environment;
	}

	/**
	 * Refuse official test secrets when {@code captcha.test-keys.allowed} is false or an
	 * active profile looks like production; else keep the WARN the mapper logs.
	 * @param service the engine with its verifiers
	 */
	void checkTestKeys(CaptchaVerificationService service) {
		String production = productionProfile(this.environment.getActiveProfiles());
		boolean allowed = this.properties.getTestKeys().isAllowed();
		if (allowed && production == null) {
			return;
		}
		for (String name : service.providerNames()) {
			ProviderPolicy policy = service.provider(name);
			if (policy != null && policy.verifier().isTestMode()) {
				String reason = (!allowed)
						? "is the provider's official test secret, under which every token passes, and "
								+ PropertyChecks.PREFIX + ".test-keys.allowed is false"
						: "is the provider's official test secret, under which every token passes, and the active "
								+ "profile '" + production + "' looks like production; use the real secret (or, "
								+ "outside production, drop the profile)";
				throw new InvalidConfigurationPropertyValueException(
						PropertyChecks.PREFIX + ".providers." + name + ".secret", HIDDEN, reason);
			}
		}
	}

	/**
	 * The first profile one of whose {@code -}, {@code _} or {@code .} separated parts is
	 * {@code prod} or {@code production}, ignoring case: {@code prod}, {@code PROD},
	 * {@code prod-eu}, {@code eu_prod}, {@code production}; not {@code preprod},
	 * {@code nonprod} or {@code product}.
	 * @param profiles the active profiles
	 * @return the profile, or null if none looks like production
	 */
	static @Nullable String productionProfile(String[] profiles) {
		for (String profile : profiles) {
			boolean production = Arrays.stream(profile.trim().toLowerCase(Locale.ROOT).split("[-_.]"))
				.anyMatch((part) -> part.equals("prod") || part.equals("production"));
			if (production) {
				return profile;
			}
		}
		return null;
	}

	/**
	 * Refuse a signing key that is also a provider credential or a published example:
	 * whoever knows the other value could sign pass tokens.
	 */
	void checkSigningKey() {
		String key = this.properties.getBuiltin().getSigningKey();
		if (!StringUtils.hasText(key)) {
			return;
		}
		String trimmed = key.trim();
		if (EXAMPLE_SIGNING_KEYS.contains(trimmed) || isRepeatedByte(trimmed)) {
			throw new InvalidConfigurationPropertyValueException(SIGNING_KEY, HIDDEN,
					"is a published example or test value; generate your own with: openssl rand -base64 32");
		}
		for (Map.Entry<String, CaptchaProperties.Provider> entry : this.properties.getProviders().entrySet()) {
			CaptchaProperties.Provider provider = entry.getValue();
			Map<String, @Nullable String> credentials = new LinkedHashMap<>();
			credentials.put("secret", provider.getSecret());
			credentials.put("api-key", provider.getApiKey());
			credentials.put("app-key", provider.getAppKey());
			credentials.put("app-secret", provider.getAppSecret());
			credentials.forEach((property, value) -> {
				if (value != null && value.trim().equals(trimmed)) {
					throw new InvalidConfigurationPropertyValueException(SIGNING_KEY, HIDDEN,
							"must not be the same value as " + PropertyChecks.PREFIX + ".providers." + entry.getKey()
									+ "." + property
									+ ": whoever holds that credential could sign pass tokens; generate a key of its "
									+ "own with: openssl rand -base64 32");
				}
			});
		}
	}

	/**
	 * Whether the key decodes to one byte repeated (all zeros, all {@code 0xff}, ...).
	 * @param key the Base64 key
	 * @return whether every byte is the same
	 */
	private static boolean isRepeatedByte(String key) {
		byte[] bytes;
		try {
			bytes = Base64.getDecoder().decode(key);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		for (byte b : bytes) {
			if (b != bytes[0]) {
				return false;
			}
		}
		return bytes.length > 0;
	}

	/**
	 * Refuse {@code server.forward-headers-strategy=framework} without trusted proxies
	 * unless accepted with {@code captcha.client-ip.allow-forwarded-header-strategy}:
	 * Spring's {@code ForwardedHeaderFilter} then believes every client's
	 * {@code X-Forwarded-For}.
	 */
	void checkForwardedHeaders() {
		String strategy = this.environment.getProperty(FORWARD_HEADERS_STRATEGY);
		if (strategy == null || !strategy.trim().equalsIgnoreCase("framework")) {
			return;
		}
		List<String> proxies = this.properties.getClientIp().getTrustedProxies();
		if (!proxies.isEmpty()) {
			return;
		}
		if (!this.properties.getClientIp().isAllowForwardedHeaderStrategy()) {
			throw new InvalidConfigurationPropertyValueException(FORWARD_HEADERS_STRATEGY, strategy,
					"makes Spring's ForwardedHeaderFilter believe the X-Forwarded-For header of every client, while "
							+ TRUSTED_PROXIES + " is empty. Set " + TRUSTED_PROXIES
							+ " to the addresses of your proxies (and the strategy to none), or use native, whose "
							+ "Tomcat valve trusts internal proxies only; to start anyway set " + ALLOW_STRATEGY
							+ "=true");
		}
		logger.warn("{}=framework believes every client's X-Forwarded-For ({} is empty, accepted by {}=true): the "
				+ "application sees client-chosen addresses; CAPTCHA failure counts and rate limits keep using the "
				+ "socket peer", FORWARD_HEADERS_STRATEGY, TRUSTED_PROXIES, ALLOW_STRATEGY);
	}

}
