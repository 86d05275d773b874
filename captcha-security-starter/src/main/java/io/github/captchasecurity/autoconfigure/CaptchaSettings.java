package io.github.captchasecurity.autoconfigure;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.github.captchasecurity.abuse.AbuseSettings;
import io.github.captchasecurity.clientip.TrustedProxyClientIpResolver;
import io.github.captchasecurity.http.HttpClientSettings;
import io.github.captchasecurity.provider.builtin.BuiltinSettings;
import io.github.captchasecurity.token.DefaultCaptchaTokenResolver;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.StringUtils;

/**
 * {@link CaptchaProperties} mapped and validated once, at start-up, into the immutable
 * values the beans share. A bad value throws
 * {@link InvalidConfigurationPropertyValueException} naming the property (secrets are
 * never echoed). Providers are built from {@link #providers()} by their types'
 * {@link CaptchaProviderFactory}; routes are checked against the engine by
 * {@link CaptchaRoutesMapper}.
 */
final class CaptchaSettings {

	/** Name of the provider added when none is configured. */
	static final String IMPLICIT_PROVIDER = "builtin";

	private final CaptchaProperties properties;

	private final HttpClientSettings http;

	private final int maxConcurrentVerifications;

	private final Duration verificationWait;

	private final Duration busyAnswerDelay;

	private final long replayMaxEntries;

	private final int tokenMaxLength;

	private final AbuseSettings abuse;

	private final boolean storeFailOpen;

	private final List<String> trustedProxies;

	private final Map<String, CaptchaProperties.Provider> providers;

	private final @Nullable String defaultProvider;

	private final BuiltinSettings builtin;

	private final String builtinBasePath;

	private final boolean usesBuiltin;

	/**
	 * Map and validate the properties.
	 * @param properties the bound properties
	 * @param verifierBeans whether the application declares CaptchaVerifier beans (then
	 * no built-in provider is added when {@code captcha.providers} is empty)
	 */
	CaptchaSettings(CaptchaProperties properties, boolean verifierBeans) {
		this.properties = properties;
		CaptchaProperties.Http http = properties.getHttp();
		PropertyChecks.requirePositive("http.connect-timeout", http.getConnectTimeout());
		PropertyChecks.requirePositive("http.response-timeout", http.getResponseTimeout());
		PropertyChecks.require(http.getMaxConnections() >= 1, "http.max-connections", http.getMaxConnections(),
				"must be at least 1");
		this.http = new HttpClientSettings(http.getConnectTimeout(), http.getResponseTimeout(),
				http.getMaxConnections());
		this.maxConcurrentVerifications = http.getMaxConcurrentVerifications();
		PropertyChecks.require(this.maxConcurrentVerifications >= 1, "http.max-concurrent-verifications",
				this.maxConcurrentVerifications, "must be at least 1");
		this.verificationWait = nonNegative("http.verification-wait", http.getVerificationWait());
		this.busyAnswerDelay = nonNegative("http.busy-answer-delay", http.getBusyAnswerDelay());
		this.replayMaxEntries = properties.getReplay().getMaxEntries();
		PropertyChecks.require(this.replayMaxEntries >= 1, "replay.max-entries", this.replayMaxEntries,
				"must be at least 1");
		this.tokenMaxLength = properties.getToken().getMaxLength();
		PropertyChecks.require(this.tokenMaxLength >= 1, "token.max-length", this.tokenMaxLength, "must be at least 1");
		validateToken(properties.getToken());
		this.abuse = abuse(properties.getAbuse());
		this.storeFailOpen = storeFailOpen(properties.getStore());
		validateLogin(properties.getLogin());
		CaptchaProperties.Health health = properties.getHealth();
		PropertyChecks.require(health.getWindow() >= 1 && health.getWindow() <= 100_000, "health.window",
				health.getWindow(), "must be between 1 and 100000 verifications");
		PropertyChecks.require(health.getMaxErrorRate() >= 0.0 && health.getMaxErrorRate() <= 1.0,
				"health.max-error-rate", health.getMaxErrorRate(), "must be between 0.0 and 1.0");
		this.trustedProxies = trustedProxies(properties.getClientIp().getTrustedProxies());
		this.providers = providers(properties, verifierBeans);
		this.defaultProvider = PropertyChecks.trimmed(properties.getDefaultProvider());
		this.usesBuiltin = this.providers.values().stream().anyMatch(CaptchaSettings::isBuiltin);
		boolean explicit = properties.getProviders().values().stream().anyMatch(CaptchaSettings::isBuiltin);
		this.builtin = BuiltinPropertiesMapper.settings(properties.getBuiltin(), explicit, this.usesBuiltin);
		this.builtinBasePath = basePath(properties.getBuiltin().getBasePath());
	}

	/**
	 * The bound properties, for the checks that read them as written.
	 * @return the bound properties
	 */
	CaptchaProperties properties() {
		return this.properties;
	}

	HttpClientSettings httpClientSettings() {
		return this.http;
	}

	int maxConcurrentVerifications() {
		return this.maxConcurrentVerifications;
	}

	Duration verificationWait() {
		return this.verificationWait;
	}

	Duration busyAnswerDelay() {
		return this.busyAnswerDelay;
	}

	private static Duration nonNegative(String property, @Nullable Duration value) {
		PropertyChecks.require(value != null && !value.isNegative(), property, value, "must be zero or more");
		return value;
	}

	long replayMaxEntries() {
		return this.replayMaxEntries;
	}

	int tokenMaxLength() {
		return this.tokenMaxLength;
	}

	AbuseSettings abuseSettings() {
		return this.abuse;
	}

	boolean storeFailOpen() {
		return this.storeFailOpen;
	}

	/**
	 * The configured providers, or the implicit built-in one when neither they nor
	 * verifier beans exist.
	 * @return the providers by name
	 */
	Map<String, CaptchaProperties.Provider> providers() {
		return this.providers;
	}

	/**
	 * {@code captcha.default-provider}, trimmed; checked against the providers once they
	 * are built.
	 * @return the default provider's name, or null
	 */
	@Nullable String defaultProvider() {
		return this.defaultProvider;
	}

	BuiltinSettings builtinSettings() {
		return this.builtin;
	}

	String builtinBasePath() {
		return this.builtinBasePath;
	}

	// captcha.builtin.cors.allowed-origins, checked.
	List<String> builtinAllowedOrigins() {
		return BuiltinPropertiesMapper.allowedOrigins(this.properties.getBuiltin().getCors().getAllowedOrigins());
	}

	/**
	 * Whether any provider is of type builtin (so its API and widget are served).
	 * @return whether a provider of type builtin is in use
	 */
	boolean usesBuiltin() {
		return this.usesBuiltin;
	}

	TrustedProxyClientIpResolver clientIpResolver() {
		return new TrustedProxyClientIpResolver(this.trustedProxies);
	}

	/**
	 * The token resolver, reading the configured form fields and those of the providers'
	 * widgets.
	 * @param providerFormFields the form fields of the providers' widgets
	 * @return the token resolver
	 */
	DefaultCaptchaTokenResolver tokenResolver(Iterable<String> providerFormFields) {
		CaptchaProperties.Token token = this.properties.getToken();
		DefaultCaptchaTokenResolver resolver = new DefaultCaptchaTokenResolver();
		resolver.setHeaderName(token.getHeader().trim());
		Set<String> fields = new LinkedHashSet<>();
		token.getFormFields().forEach((field) -> fields.add(field.trim()));
		providerFormFields.forEach(fields::add);
		resolver.setFormFields(List.copyOf(fields));
		resolver.setJsonFields(token.getJsonField().stream().map(String::trim).toList());
		resolver.setMaxBodyBytes((int) token.getMaxBody().toBytes());
		return resolver;
	}

	static @Nullable String typeOf(CaptchaProperties.Provider provider) {
		return (provider.getType() != null) ? provider.getType().trim().toLowerCase(Locale.ROOT) : null;
	}

	private static boolean isBuiltin(CaptchaProperties.Provider provider) {
		return BuiltinProviderFactory.TYPE.equals(typeOf(provider));
	}

	private static Map<String, CaptchaProperties.Provider> providers(CaptchaProperties properties,
			boolean verifierBeans) {
		if (!properties.getProviders().isEmpty() || verifierBeans) {
			return Collections.unmodifiableMap(new LinkedHashMap<>(properties.getProviders()));
		}
		CaptchaProperties.Provider implicit = new CaptchaProperties.Provider();
		implicit.setType(BuiltinProviderFactory.TYPE);
		return Map.of(IMPLICIT_PROVIDER, implicit);
	}

	private static void validateToken(CaptchaProperties.Token token) {
		PropertyChecks.require(StringUtils.hasText(token.getHeader()), "token.header", token.getHeader(),
				"cannot be empty");
		long maxBody = token.getMaxBody().toBytes();
		PropertyChecks.require(maxBody >= 1 && maxBody <= Integer.MAX_VALUE - 1, "token.max-body", token.getMaxBody(),
				"must be between 1B and 2GB");
		for (String field : token.getFormFields()) {
			PropertyChecks.require(StringUtils.hasText(field), "token.form-fields", field,
					"cannot contain an empty name");
		}
	}

	private static AbuseSettings abuse(CaptchaProperties.Abuse abuse) {
		PropertyChecks.require(abuse.getStepUpAfter() >= 0, "abuse.step-up-after", abuse.getStepUpAfter(),
				"cannot be negative");
		PropertyChecks.require(abuse.getBlockAfter() >= 0, "abuse.block-after", abuse.getBlockAfter(),
				"cannot be negative");
		PropertyChecks.requirePositive("abuse.window", abuse.getWindow());
		return new AbuseSettings(abuse.getStepUpAfter(), abuse.getBlockAfter(), abuse.getWindow());
	}

	/**
	 * The store settings, validated: a key prefix of 1 to 64 printable characters without
	 * spaces, a positive timeout of at most one minute.
	 * @param store the store properties
	 * @return whether store failures let requests through
	 */
	private static boolean storeFailOpen(CaptchaProperties.Store store) {
		String prefix = store.getKeyPrefix();
		PropertyChecks.require(prefix != null && prefix.matches("[\\x21-\\x7e]{1,64}"), "store.key-prefix", prefix,
				"must be 1 to 64 printable characters without spaces");
		PropertyChecks.requirePositive("store.timeout", store.getTimeout());
		PropertyChecks.require(store.getTimeout().compareTo(Duration.ofMinutes(1)) <= 0, "store.timeout",
				store.getTimeout(), "must be at most 1m");
		return store.getOnError() == CaptchaProperties.Store.OnError.FAIL_OPEN;
	}

	private static void validateLogin(CaptchaProperties.Login login) {
		PropertyChecks.require(login.getFailuresBeforeCaptcha() >= 0, "login.failures-before-captcha",
				login.getFailuresBeforeCaptcha(), "cannot be negative");
		PropertyChecks.requirePositive("login.window", login.getWindow());
	}

	private static List<String> trustedProxies(List<String> proxies) {
		for (int i = 0; i < proxies.size(); i++) {
			try {
				new TrustedProxyClientIpResolver(List.of(proxies.get(i)));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidConfigurationPropertyValueException(
						PropertyChecks.PREFIX + ".client-ip.trusted-proxies[" + i + "]", proxies.get(i),
						"must be an IP address or CIDR range such as 10.0.0.0/8 or fd00::/8");
			}
		}
		return List.copyOf(proxies);
	}

	private static String basePath(String basePath) {
		PropertyChecks.require(
				StringUtils.hasText(basePath) && basePath.trim().startsWith("/") && basePath.trim().length() > 1
						&& !basePath.contains("*") && !basePath.contains("?"),
				"builtin.base-path", basePath, "must be a path such as /captcha");
		return basePath.trim();
	}

}
