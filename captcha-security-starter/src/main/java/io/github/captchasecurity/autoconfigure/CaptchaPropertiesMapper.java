package io.github.captchasecurity.autoconfigure;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.CaptchaVerifier;
import io.github.captchasecurity.ProviderPolicy;
import io.github.captchasecurity.http.CaptchaHttpClient;
import io.github.captchasecurity.http.HttpClientSettings;
import io.github.captchasecurity.provider.builtin.BuiltinCaptchaService;
import io.github.captchasecurity.provider.builtin.BuiltinCaptchaVerifier;
import io.github.captchasecurity.provider.builtin.BuiltinSettings;
import io.github.captchasecurity.provider.builtin.ChallengeType;
import io.github.captchasecurity.provider.captchala.CaptchalaChallengeClient;
import io.github.captchasecurity.provider.captchala.CaptchalaVerifier;
import io.github.captchasecurity.provider.enterprise.RecaptchaEnterpriseVerifier;
import io.github.captchasecurity.provider.friendly.FriendlyCaptchaVerifier;
import io.github.captchasecurity.provider.hcaptcha.HcaptchaVerifier;
import io.github.captchasecurity.provider.recaptcha.RecaptchaVerifier;
import io.github.captchasecurity.provider.turnstile.TurnstileVerifier;
import io.github.captchasecurity.replay.ReplayCache;
import io.github.captchasecurity.servlet.DefaultCaptchaTokenResolver;
import io.github.captchasecurity.web.PathPatternCaptchaRuleResolver;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Maps {@link CaptchaProperties} to core's immutable types, validating every value on the way. A bad value
 * throws {@link InvalidConfigurationPropertyValueException} naming the property (secrets are never echoed).
 */
final class CaptchaPropertiesMapper {

	static final String PREFIX = "captcha";

	/** Provider types this version knows. */
	static final Set<String> TYPES = Set.of("builtin", "recaptcha", "recaptcha-enterprise", "hcaptcha", "turnstile",
			"captchala", "friendly-captcha");

	/** Name of the provider added when none is configured. */
	static final String IMPLICIT_PROVIDER = "builtin";

	private static final Logger logger = LoggerFactory.getLogger(CaptchaPropertiesMapper.class);

	private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

	private static final String HIDDEN = "<hidden>";

	private final CaptchaProperties properties;

	CaptchaPropertiesMapper(CaptchaProperties properties) {
		this.properties = properties;
	}

	HttpClientSettings httpClientSettings() {
		CaptchaProperties.Http http = this.properties.getHttp();
		requirePositive("http.connect-timeout", http.getConnectTimeout());
		requirePositive("http.response-timeout", http.getResponseTimeout());
		require(http.getMaxConnections() >= 1, "http.max-connections", http.getMaxConnections(), "must be at least 1");
		return new HttpClientSettings(http.getConnectTimeout(), http.getResponseTimeout(), http.getMaxConnections());
	}

	int maxConcurrentVerifications() {
		int max = this.properties.getHttp().getMaxConcurrentVerifications();
		require(max >= 1, "http.max-concurrent-verifications", max, "must be at least 1");
		return max;
	}

	long replayMaxEntries() {
		long max = this.properties.getReplay().getMaxEntries();
		require(max >= 1, "replay.max-entries", max, "must be at least 1");
		return max;
	}

	CaptchaVerificationService verificationService(CaptchaHttpClient http, ReplayCache replayCache, Clock clock,
			Supplier<BuiltinCaptchaService> builtin) {
		return verificationService(http, replayCache, clock, builtin, (builder) -> {
		});
	}

	CaptchaVerificationService verificationService(CaptchaHttpClient http, ReplayCache replayCache, Clock clock,
			Supplier<BuiltinCaptchaService> builtin, java.util.function.Consumer<CaptchaVerificationService.Builder> customizer) {
		CaptchaVerificationService.Builder builder = CaptchaVerificationService.builder()
			.replayCache(replayCache)
			.clock(clock)
			.maxConcurrentVerifications(maxConcurrentVerifications());
		customizer.accept(builder);
		int maxLength = this.properties.getToken().getMaxLength();
		require(maxLength >= 1, "token.max-length", maxLength, "must be at least 1");
		for (Map.Entry<String, CaptchaProperties.Provider> entry : providers().entrySet()) {
			ProviderPolicy policy = policy(entry.getKey(), entry.getValue(), http, builtin, maxLength);
			if (policy.verifier().isTestMode()) {
				logger.warn("CAPTCHA provider '{}' uses the provider's official TEST credentials: tokens are not really "
						+ "verified and the replay check is off. Never use them in production.", entry.getKey());
			}
			builder.provider(policy);
		}
		String defaultProvider = defaultProvider();
		if (defaultProvider != null) {
			builder.defaultProvider(defaultProvider);
		}
		return builder.build();
	}

	/** The configured providers, or the implicit built-in one when none is configured. */
	Map<String, CaptchaProperties.Provider> providers() {
		if (!this.properties.getProviders().isEmpty()) {
			return this.properties.getProviders();
		}
		CaptchaProperties.Provider implicit = new CaptchaProperties.Provider();
		implicit.setType("builtin");
		return Map.of(IMPLICIT_PROVIDER, implicit);
	}

	/** Whether any provider is of type builtin (so its API and widget are served). */
	boolean usesBuiltin() {
		return providers().values().stream().anyMatch((provider) -> "builtin".equals(typeOf(provider)));
	}

	private static @Nullable String typeOf(CaptchaProperties.Provider provider) {
		return (provider.getType() != null) ? provider.getType().trim().toLowerCase(Locale.ROOT) : null;
	}

	@Nullable String defaultProvider() {
		Map<String, CaptchaProperties.Provider> providers = providers();
		String configured = this.properties.getDefaultProvider();
		if (StringUtils.hasText(configured)) {
			require(providers.containsKey(configured.trim()), "default-provider", configured,
					"is not a provider under " + PREFIX + ".providers " + providers.keySet());
			return configured.trim();
		}
		if (providers.size() == 1) {
			return providers.keySet().iterator().next();
		}
		require(providers.isEmpty(), "default-provider", null,
				"must name one of " + providers.keySet() + " when several providers are configured");
		return null;
	}

	private ProviderPolicy policy(String name, CaptchaProperties.Provider provider, CaptchaHttpClient http,
			Supplier<BuiltinCaptchaService> builtin, int maxLength) {
		String prefix = "providers." + name + ".";
		String type = typeOf(provider);
		require(type != null && !type.isEmpty(), prefix + "type", null, "is required; one of " + TYPES);
		require(TYPES.contains(type), prefix + "type", provider.getType(), "is not a known provider type " + TYPES);
		Double minScore = provider.getMinScore();
		requireScore(prefix + "min-score", minScore);
		if (provider.getMaxTokenAge() != null) {
			requirePositive(prefix + "max-token-age", provider.getMaxTokenAge());
		}
		for (String hostname : provider.getHostnames()) {
			require(StringUtils.hasText(hostname) && !hostname.contains("/"), prefix + "hostnames", hostname,
					"must be a hostname such as example.com or *.example.com");
		}
		Duration age = provider.getMaxTokenAge();
		Set<String> hostnames = Set.copyOf(provider.getHostnames());
		String field = formField(provider, type);
		int cap = maxTokenLength(prefix, provider, type, maxLength);
		return switch (type) {
			case "recaptcha" -> {
				URI url = verifyUrl(prefix + "verify-url", provider.getVerifyUrl(), RecaptchaVerifier.DEFAULT_VERIFY_URL);
				yield new ProviderPolicy(name, new RecaptchaVerifier(name, url, required(prefix, "secret", provider.getSecret(), type), http),
						hostnames, minScore, orDefault(age, RecaptchaVerifier.TOKEN_LIFETIME),
						RecaptchaVerifier.TOKEN_LIFETIME, cap, true, field);
			}
			case "recaptcha-enterprise" -> {
				String apiKey = required(prefix, "api-key", provider.getApiKey(), type);
				String projectId = required(prefix, "project-id", provider.getProjectId(), type);
				String siteKey = required(prefix, "site-key", provider.getSiteKey(), type);
				String template = StringUtils.hasText(provider.getVerifyUrl()) ? provider.getVerifyUrl().trim()
						: RecaptchaEnterpriseVerifier.DEFAULT_VERIFY_URL;
				URI url = verifyUrl(prefix + "verify-url",
						RecaptchaEnterpriseVerifier.assessmentsUrl(template, projectId).toString(), null);
				yield new ProviderPolicy(name, new RecaptchaEnterpriseVerifier(name, url, apiKey, siteKey, http),
						hostnames, minScore, orDefault(age, RecaptchaEnterpriseVerifier.TOKEN_LIFETIME),
						RecaptchaEnterpriseVerifier.TOKEN_LIFETIME, cap, true, field);
			}
			case "hcaptcha" -> {
				URI url = verifyUrl(prefix + "verify-url", provider.getVerifyUrl(), HcaptchaVerifier.DEFAULT_VERIFY_URL);
				String siteKey = StringUtils.hasText(provider.getSiteKey()) ? provider.getSiteKey().trim() : null;
				yield new ProviderPolicy(name,
						new HcaptchaVerifier(name, url, required(prefix, "secret", provider.getSecret(), type), siteKey, http),
						hostnames, minScore, orDefault(age, HcaptchaVerifier.TOKEN_LIFETIME),
						HcaptchaVerifier.TOKEN_LIFETIME, cap, minScore != null, field);
			}
			case "turnstile" -> {
				URI url = verifyUrl(prefix + "verify-url", provider.getVerifyUrl(), TurnstileVerifier.DEFAULT_VERIFY_URL);
				requireUnscored(prefix, minScore, type);
				String cdata = StringUtils.hasText(provider.getCdata()) ? provider.getCdata().trim() : null;
				yield new ProviderPolicy(name,
						new TurnstileVerifier(name, url, required(prefix, "secret", provider.getSecret(), type), cdata, http),
						hostnames, null, orDefault(age, TurnstileVerifier.TOKEN_LIFETIME),
						TurnstileVerifier.TOKEN_LIFETIME, cap, false, field);
			}
			case "captchala" -> {
				requireUnscored(prefix, minScore, type);
				URI url = verifyUrl(prefix + "verify-url", provider.getVerifyUrl(), CaptchalaVerifier.DEFAULT_VERIFY_URL);
				URI fallback = verifyUrl(prefix + "fallback-url", provider.getFallbackUrl(),
						CaptchalaVerifier.DEFAULT_FALLBACK_URL);
				verifyUrl(prefix + "issue-url", provider.getIssueUrl(), CaptchalaChallengeClient.DEFAULT_ISSUE_URL);
				if (provider.isAcceptClientOnly()) {
					logger.warn("CAPTCHA provider '{}' accepts CaptchaLa client_ tokens WITHOUT server-side verification "
							+ "({}accept-client-only=true)", name, PREFIX + "." + prefix);
				}
				if (provider.isAcceptDegraded()) {
					logger.warn("CAPTCHA provider '{}' accepts degraded CaptchaLa dg_ tokens issued when the quota is "
							+ "exhausted ({}accept-degraded=true)", name, PREFIX + "." + prefix);
				}
				yield new ProviderPolicy(name,
						new CaptchalaVerifier(name, url, fallback, required(prefix, "app-key", provider.getAppKey(), type),
								required(prefix, "app-secret", provider.getAppSecret(), type),
								provider.isAcceptClientOnly(), provider.isAcceptDegraded(), http),
						hostnames, null, orDefault(age, CaptchalaVerifier.TOKEN_LIFETIME),
						CaptchalaVerifier.TOKEN_LIFETIME, cap, false, field);
			}
			case "friendly-captcha" -> {
				requireUnscored(prefix, minScore, type);
				URI url = verifyUrl(prefix + "verify-url", provider.getVerifyUrl(), FriendlyCaptchaVerifier.DEFAULT_VERIFY_URL);
				String siteKey = StringUtils.hasText(provider.getSiteKey()) ? provider.getSiteKey().trim() : null;
				yield new ProviderPolicy(name,
						new FriendlyCaptchaVerifier(name, url, required(prefix, "api-key", provider.getApiKey(), type),
								siteKey, http),
						hostnames, null, orDefault(age, FriendlyCaptchaVerifier.TOKEN_LIFETIME),
						FriendlyCaptchaVerifier.TOKEN_LIFETIME, cap, false, field);
			}
			case "builtin" -> {
				require(provider.getHostnames().isEmpty(), prefix + "hostnames", provider.getHostnames(),
						"is not supported by type builtin: its challenges are served by this application");
				requireUnscored(prefix, minScore, type);
				BuiltinCaptchaService service = builtin.get();
				Duration lifetime = service.settings().tokenTtl();
				yield new ProviderPolicy(name, new BuiltinCaptchaVerifier(name, service), Set.of(), null,
						orDefault(age, lifetime), lifetime, cap, false, field);
			}
			default -> throw new IllegalStateException("Unhandled provider type " + type);
		};
	}

	/** The form field of a provider: configured, or its type's widget field. */
	static String formField(CaptchaProperties.Provider provider, String type) {
		if (StringUtils.hasText(provider.getFormField())) {
			return provider.getFormField().trim();
		}
		return switch (type) {
			case "recaptcha" -> RecaptchaVerifier.FORM_FIELD;
			case "recaptcha-enterprise" -> RecaptchaEnterpriseVerifier.FORM_FIELD;
			case "hcaptcha" -> HcaptchaVerifier.FORM_FIELD;
			case "turnstile" -> TurnstileVerifier.FORM_FIELD;
			case "captchala" -> CaptchalaVerifier.FORM_FIELD;
			case "friendly-captcha" -> FriendlyCaptchaVerifier.FORM_FIELD;
			default -> BuiltinCaptchaVerifier.FORM_FIELD;
		};
	}

	private static int maxTokenLength(String prefix, CaptchaProperties.Provider provider, String type, int global) {
		Integer configured = provider.getMaxTokenLength();
		if (configured != null) {
			require(configured >= 1, prefix + "max-token-length", configured, "must be at least 1");
			return configured;
		}
		return switch (type) {
			case "turnstile" -> TurnstileVerifier.MAX_TOKEN_LENGTH;
			case "friendly-captcha" -> FriendlyCaptchaVerifier.MAX_TOKEN_LENGTH;
			case "hcaptcha" -> HcaptchaVerifier.MAX_TOKEN_LENGTH;
			default -> global;
		};
	}

	private static String required(String prefix, String property, @Nullable String value, String type) {
		require(StringUtils.hasText(value), prefix + property, null, "is required for type " + type);
		return value.trim();
	}

	private static void requireUnscored(String prefix, @Nullable Double minScore, String type) {
		require(minScore == null, prefix + "min-score", minScore,
				"is not supported by type " + type + ": it does not score tokens");
	}

	BuiltinSettings builtinSettings() {
		CaptchaProperties.Builtin builtin = this.properties.getBuiltin();
		byte[] key = signingKey(builtin.getSigningKey());
		requirePositive("builtin.challenge-ttl", builtin.getChallengeTtl());
		requirePositive("builtin.token-ttl", builtin.getTokenTtl());
		CaptchaProperties.Builtin.Limits limits = builtin.getLimits();
		require(limits.getGeneratePerHour() >= 1, "builtin.limits.generate-per-hour", limits.getGeneratePerHour(),
				"must be at least 1");
		require(limits.getValidatePerHour() >= 1, "builtin.limits.validate-per-hour", limits.getValidatePerHour(),
				"must be at least 1");
		require(limits.getGeneratePerClientPerHour() >= 1, "builtin.limits.generate-per-client-per-hour",
				limits.getGeneratePerClientPerHour(), "must be at least 1");
		require(limits.getValidatePerClientPerHour() >= 1, "builtin.limits.validate-per-client-per-hour",
				limits.getValidatePerClientPerHour(), "must be at least 1");
		CaptchaProperties.Builtin.Image image = builtin.getImage();
		require(image.getLength() >= 3 && image.getLength() <= 10, "builtin.image.length", image.getLength(),
				"must be between 3 and 10");
		require(image.getWidth() >= 60 && image.getWidth() <= 1000, "builtin.image.width", image.getWidth(),
				"must be between 60 and 1000");
		require(image.getHeight() >= 30 && image.getHeight() <= 400, "builtin.image.height", image.getHeight(),
				"must be between 30 and 400");
		int maxNumber = builtin.getPow().getMaxNumber();
		require(maxNumber >= 1_000 && maxNumber <= 10_000_000, "builtin.pow.max-number", maxNumber,
				"must be between 1000 and 10000000");
		require(builtin.getMaxChallenges() >= 1, "builtin.max-challenges", builtin.getMaxChallenges(),
				"must be at least 1");
		BuiltinSettings.Builder settings = BuiltinSettings.builder(key)
			.challengeTtl(builtin.getChallengeTtl())
			.tokenTtl(builtin.getTokenTtl())
			.limits(limits.getGeneratePerHour(), limits.getValidatePerHour())
			.clientLimits(limits.getGeneratePerClientPerHour(), limits.getValidatePerClientPerHour())
			.challengeTypes(builtinChallengeTypes())
			.bindIp(builtin.isBindIp())
			.image(image.getLength(), image.getWidth(), image.getHeight())
			.mathAsImage(builtin.getMath().isAsImage())
			.powMaxNumber(maxNumber);
		List<String> siteKeys = builtin.getSiteKeys();
		for (int i = 0; i < siteKeys.size(); i++) {
			try {
				settings.siteKeys(List.of(siteKeys.get(i)));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidConfigurationPropertyValueException(PREFIX + ".builtin.site-keys[" + i + "]", HIDDEN,
						ex.getMessage());
			}
		}
		boolean explicit = this.properties.getProviders()
			.values()
			.stream()
			.anyMatch((provider) -> "builtin".equals(typeOf(provider)));
		require(!explicit || !siteKeys.isEmpty(), "builtin.site-keys", null,
				"needs at least one site key for the providers of type builtin");
		if (usesBuiltin() && !StringUtils.hasText(builtin.getSigningKey())) {
			logger.warn("captcha.builtin.signing-key is not set: using a random key, so built-in pass tokens and "
					+ "proof-of-work challenges neither survive a restart nor work across instances");
		}
		return settings.build();
	}

	/** The challenge types {@code captcha.builtin.challenge-types} allows, validated. */
	Set<ChallengeType> builtinChallengeTypes() {
		List<String> names = this.properties.getBuiltin().getChallengeTypes();
		require(names != null && !names.isEmpty(), "builtin.challenge-types", names,
				"needs at least one of image, math, grid, pow");
		Set<ChallengeType> types = java.util.EnumSet.noneOf(ChallengeType.class);
		for (int i = 0; i < names.size(); i++) {
			ChallengeType type = ChallengeType.fromWireName(names.get(i));
			require(type != null, "builtin.challenge-types[" + i + "]", names.get(i),
					"is not a challenge type: one of image, math, grid, pow");
			types.add(type);
		}
		return types;
	}

	/**
	 * Check the challenge types a route names: known, allowed by {@code captcha.builtin.challenge-types}.
	 * @return the lower-case wire names
	 */
	private List<String> challengeTypes(String property, List<String> names) {
		if (names == null || names.isEmpty()) {
			return List.of();
		}
		Set<ChallengeType> allowed = builtinChallengeTypes();
		List<String> types = new ArrayList<>();
		for (int i = 0; i < names.size(); i++) {
			ChallengeType type = ChallengeType.fromWireName(names.get(i));
			require(type != null, property + "[" + i + "]", names.get(i),
					"is not a challenge type: one of image, math, grid, pow");
			require(allowed.contains(type), property + "[" + i + "]", names.get(i),
					"is not allowed by " + PREFIX + ".builtin.challenge-types " + this.properties.getBuiltin().getChallengeTypes());
			types.add(type.wireName());
		}
		return types;
	}

	private static boolean isBuiltin(CaptchaVerificationService service, @Nullable String provider) {
		ProviderPolicy policy = (provider != null) ? service.provider(provider) : null;
		return policy != null && policy.verifier() instanceof BuiltinCaptchaVerifier;
	}

	io.github.captchasecurity.servlet.ClientIpResolver clientIpResolver() {
		List<String> proxies = this.properties.getClientIp().getTrustedProxies();
		for (int i = 0; i < proxies.size(); i++) {
			try {
				new io.github.captchasecurity.servlet.ClientIpResolver(List.of(proxies.get(i)));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidConfigurationPropertyValueException(PREFIX + ".client-ip.trusted-proxies[" + i + "]",
						proxies.get(i), "must be an IP address or CIDR range such as 10.0.0.0/8 or fd00::/8");
			}
		}
		return new io.github.captchasecurity.servlet.ClientIpResolver(proxies);
	}

	io.github.captchasecurity.abuse.AbuseSettings abuseSettings() {
		CaptchaProperties.Abuse abuse = this.properties.getAbuse();
		require(abuse.getStepUpAfter() >= 0, "abuse.step-up-after", abuse.getStepUpAfter(), "cannot be negative");
		require(abuse.getBlockAfter() >= 0, "abuse.block-after", abuse.getBlockAfter(), "cannot be negative");
		requirePositive("abuse.window", abuse.getWindow());
		return new io.github.captchasecurity.abuse.AbuseSettings(abuse.getStepUpAfter(), abuse.getBlockAfter(),
				abuse.getWindow());
	}

	void validateLogin() {
		CaptchaProperties.Login login = this.properties.getLogin();
		require(login.getFailuresBeforeCaptcha() >= 0, "login.failures-before-captcha",
				login.getFailuresBeforeCaptcha(), "cannot be negative");
		requirePositive("login.window", login.getWindow());
	}

	/** Server-challenge clients of the captchala providers, by name. */
	Map<String, CaptchalaChallengeClient> captchalaChallengeClients(CaptchaHttpClient http) {
		Map<String, CaptchalaChallengeClient> clients = new java.util.LinkedHashMap<>();
		providers().forEach((name, provider) -> {
			if ("captchala".equals(typeOf(provider)) && StringUtils.hasText(provider.getAppKey())
					&& StringUtils.hasText(provider.getAppSecret())) {
				URI url = verifyUrl("providers." + name + ".issue-url", provider.getIssueUrl(),
						CaptchalaChallengeClient.DEFAULT_ISSUE_URL);
				clients.put(name, new CaptchalaChallengeClient(url, provider.getAppKey().trim(),
						provider.getAppSecret().trim(), http));
			}
		});
		return clients;
	}

	String builtinBasePath() {
		String basePath = this.properties.getBuiltin().getBasePath();
		require(StringUtils.hasText(basePath) && basePath.trim().startsWith("/") && basePath.trim().length() > 1
				&& !basePath.contains("*") && !basePath.contains("?"), "builtin.base-path", basePath,
				"must be a path such as /captcha");
		return basePath.trim();
	}

	private static byte[] signingKey(@Nullable String value) {
		if (!StringUtils.hasText(value)) {
			byte[] random = new byte[32];
			RANDOM.nextBytes(random);
			return random;
		}
		byte[] key;
		try {
			key = java.util.Base64.getDecoder().decode(value.trim());
		}
		catch (IllegalArgumentException ex) {
			try {
				key = java.util.Base64.getUrlDecoder().decode(value.trim());
			}
			catch (IllegalArgumentException again) {
				throw new InvalidConfigurationPropertyValueException(PREFIX + ".builtin.signing-key", HIDDEN,
						"must be base64");
			}
		}
		if (key.length < BuiltinSettings.MIN_SIGNING_KEY_BYTES) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + ".builtin.signing-key", HIDDEN,
					"must be at least 256 bits (32 bytes) once base64-decoded; generate one with: openssl rand -base64 32");
		}
		return key;
	}

	private static Duration orDefault(@Nullable Duration value, Duration fallback) {
		return (value != null) ? value : fallback;
	}

	DefaultCaptchaTokenResolver tokenResolver() {
		CaptchaProperties.Token token = this.properties.getToken();
		require(StringUtils.hasText(token.getHeader()), "token.header", token.getHeader(), "cannot be empty");
		long maxBody = token.getMaxBody().toBytes();
		require(maxBody >= 1 && maxBody <= Integer.MAX_VALUE - 1, "token.max-body", token.getMaxBody(),
				"must be between 1B and 2GB");
		for (String field : token.getFormFields()) {
			require(StringUtils.hasText(field), "token.form-fields", field, "cannot contain an empty name");
		}
		DefaultCaptchaTokenResolver resolver = new DefaultCaptchaTokenResolver();
		resolver.setHeaderName(token.getHeader().trim());
		java.util.LinkedHashSet<String> fields = new java.util.LinkedHashSet<>();
		token.getFormFields().forEach((field) -> fields.add(field.trim()));
		providers().values().forEach((provider) -> {
			String type = typeOf(provider);
			if (type != null && TYPES.contains(type)) {
				fields.add(formField(provider, type));
			}
		});
		resolver.setFormFields(List.copyOf(fields));
		resolver.setJsonField(token.getJsonField());
		resolver.setMaxBodyBytes((int) maxBody);
		return resolver;
	}

	PathPatternCaptchaRuleResolver routeResolver(CaptchaVerificationService service) {
		PathPatternCaptchaRuleResolver.Builder builder = PathPatternCaptchaRuleResolver.builder();
		List<CaptchaProperties.Route> routes = this.properties.getRoutes();
		for (int i = 0; i < routes.size(); i++) {
			CaptchaProperties.Route route = routes.get(i);
			String prefix = "routes[" + i + "].";
			require(StringUtils.hasText(route.getPath()), prefix + "path", route.getPath(), "is required");
			List<String> providers = new ArrayList<>();
			for (String name : route.getProvider()) {
				require(StringUtils.hasText(name), prefix + "provider", name, "cannot contain an empty name");
				require(service.providerNames().contains(name.trim()), prefix + "provider", name.trim(),
						"is not a provider under " + PREFIX + ".providers " + service.providerNames());
				providers.add(name.trim());
			}
			if (providers.isEmpty()) {
				require(service.defaultProvider() != null, prefix + "provider", null,
						"is needed: no default provider is configured (" + PREFIX + ".providers is "
								+ (service.providerNames().isEmpty() ? "empty" : "ambiguous") + ")");
			}
			requireScore(prefix + "min-score", route.getMinScore());
			List<String> effective = providers.isEmpty() ? List.of(service.defaultProvider()) : providers;
			for (String name : effective) {
				io.github.captchasecurity.ProviderPolicy policy = service.provider(name);
				if (policy != null && !policy.scored() && route.getMinScore() != null) {
					logger.warn("captcha.routes[{}].min-score is ignored for provider '{}': it does not score tokens",
							i, name);
				}
				if (policy != null && policy.verifier() instanceof BuiltinCaptchaVerifier) {
					require(!this.properties.getBuiltin().getSiteKeys().isEmpty(), "builtin.site-keys", null,
							"needs at least one site key: captcha.routes[" + i + "] uses the built-in provider '"
									+ name + "'");
				}
			}
			String action = StringUtils.hasText(route.getAction()) ? route.getAction().trim() : null;
			requireScore(prefix + "escalate-below", route.getEscalateBelow());
			String escalateTo = StringUtils.hasText(route.getEscalateTo()) ? route.getEscalateTo().trim() : null;
			if (escalateTo != null) {
				require(service.providerNames().contains(escalateTo), prefix + "escalate-to", escalateTo,
						"is not a provider under " + PREFIX + ".providers " + service.providerNames());
			}
			require(route.getEscalateBelow() == null || escalateTo != null, prefix + "escalate-to", null,
					"is required when escalate-below is set");
			if (route.isServerChallenge()) {
				List<String> checked = new ArrayList<>(effective);
				if (escalateTo != null) {
					checked.add(escalateTo);
				}
				for (String name : checked) {
					io.github.captchasecurity.ProviderPolicy policy = service.provider(name);
					require(policy == null || policy.verifier() instanceof BuiltinCaptchaVerifier
							|| policy.verifier() instanceof CaptchalaVerifier, prefix + "server-challenge", true,
							"needs providers of type builtin or captchala; '" + name
									+ "' cannot tell which client a challenge was issued for");
				}
			}
			List<String> types = challengeTypes(prefix + "challenge-types", route.getChallengeTypes());
			require(types.isEmpty() || effective.stream().anyMatch((name) -> isBuiltin(service, name)),
					prefix + "challenge-types", route.getChallengeTypes(), "needs a provider of type builtin: "
							+ effective + " are hosted providers, which have no challenge types");
			List<String> escalateTypes = challengeTypes(prefix + "escalate-challenge-types",
					route.getEscalateChallengeTypes());
			boolean builtinEscalation = isBuiltin(service, escalateTo);
			require(escalateTypes.isEmpty() || builtinEscalation, prefix + "escalate-challenge-types",
					route.getEscalateChallengeTypes(), "needs escalate-to naming a provider of type builtin");
			if (builtinEscalation && effective.contains(escalateTo)) {
				// its tokens pass as the route's own: they are never escalated, so no type can be asked of them
				require(escalateTypes.isEmpty(), prefix + "escalate-challenge-types", route.getEscalateChallengeTypes(),
						"needs escalate-to to name a provider the route does not accept itself (another provider of "
								+ "type builtin)");
			}
			else if (builtinEscalation && escalateTypes.isEmpty()) {
				escalateTypes = List.of(ChallengeType.strongest(builtinChallengeTypes()).wireName());
			}
			List<String> methods = new ArrayList<>();
			for (String method : route.getMethods()) {
				require(PathPatternCaptchaRuleResolver.isHttpMethod(method), prefix + "methods", method,
						"is not an HTTP method: use one of " + PathPatternCaptchaRuleResolver.HTTP_METHODS
								+ " (in any case)");
				methods.add(method.trim());
			}
			try {
				builder.route(route.getPath(), methods,
						new CaptchaRule(providers, action, route.getMinScore(), route.isFailOpen(), route.getEscalateBelow(),
								escalateTo, route.isServerChallenge(), types, escalateTypes));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidConfigurationPropertyValueException(PREFIX + "." + prefix + "path", route.getPath(),
						ex.getMessage());
			}
		}
		return builder.build();
	}

	private static URI verifyUrl(String property, @Nullable String value, @Nullable URI fallback) {
		if (!StringUtils.hasText(value)) {
			Assert.state(fallback != null, "no default URL");
			return fallback;
		}
		URI uri;
		try {
			uri = new URI(value.trim());
		}
		catch (URISyntaxException ex) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + "." + property, value, "is not a URL");
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		require(uri.getHost() != null && (scheme.equals("https") || scheme.equals("http")), property, value,
				"must be an absolute http(s) URL");
		require(uri.getRawUserInfo() == null && uri.getRawQuery() == null, property, value,
				"must not carry credentials or a query string");
		require(scheme.equals("https") || isLoopback(uri.getHost()), property, value,
				"must use https (plain http is allowed for loopback addresses only)");
		return uri;
	}

	private static boolean isLoopback(String host) {
		if (host.equalsIgnoreCase("localhost")) {
			return true;
		}
		String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
		if (!literal.matches("[0-9.]+|[0-9a-fA-F:]+")) {
			return false;
		}
		try {
			return InetAddress.getByName(literal).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	private static void requireScore(String property, @Nullable Double score) {
		require(score == null || (score >= 0.0 && score <= 1.0), property, score, "must be between 0.0 and 1.0");
	}

	/**
	 * The store settings, validated: a key prefix of 1 to 64 printable characters without spaces, a positive
	 * timeout of at most one minute.
	 * @return whether store failures let requests through
	 */
	boolean storeFailOpen() {
		CaptchaProperties.Store store = this.properties.getStore();
		String prefix = store.getKeyPrefix();
		require(prefix != null && prefix.matches("[\\x21-\\x7e]{1,64}"), "store.key-prefix", prefix,
				"must be 1 to 64 printable characters without spaces");
		requirePositive("store.timeout", store.getTimeout());
		require(store.getTimeout().compareTo(Duration.ofMinutes(1)) <= 0, "store.timeout", store.getTimeout(),
				"must be at most 1m");
		return store.getOnError() == CaptchaProperties.Store.OnError.FAIL_OPEN;
	}

	private static void requirePositive(String property, @Nullable Duration duration) {
		require(duration != null && !duration.isNegative() && !duration.isZero(), property, duration,
				"must be positive");
	}

	private static void require(boolean condition, String property, @Nullable Object value, String reason) {
		if (!condition) {
			Object shown = (value != null && SecretPropertyFailureAnalyzer.isSecret(property)) ? HIDDEN : value;
			throw new InvalidConfigurationPropertyValueException(PREFIX + "." + property, shown, reason);
		}
	}

}
