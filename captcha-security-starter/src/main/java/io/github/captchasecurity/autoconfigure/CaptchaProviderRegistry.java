package io.github.captchasecurity.autoconfigure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.CaptchaVerifier;
import io.github.captchasecurity.ProviderCapabilities;
import io.github.captchasecurity.ProviderPolicy;
import io.github.captchasecurity.http.CaptchaHttpClient;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The providers of the application, built once: one per entry of
 * {@code captcha.providers} by the {@link CaptchaProviderFactory} of its type, and one
 * per {@link CaptchaVerifier} bean, named after the bean. Knows no provider type by name.
 */
final class CaptchaProviderRegistry {

	/** What a provider given as a bare {@link CaptchaVerifier} bean supports. */
	static final ProviderCapabilities BEAN_CAPABILITIES = ProviderCapabilities.builder("custom")
		.scoring(ProviderCapabilities.Scoring.SCORED)
		.build();

	private static final Logger logger = LoggerFactory.getLogger(CaptchaProviderRegistry.class);

	private final Map<String, ProviderPolicy> policies;

	private final Map<String, ProviderCapabilities> capabilities;

	private final @Nullable String defaultProvider;

	private CaptchaProviderRegistry(Map<String, ProviderPolicy> policies,
			Map<String, ProviderCapabilities> capabilities, @Nullable String defaultProvider) {
		this.policies = Collections.unmodifiableMap(policies);
		this.capabilities = Collections.unmodifiableMap(capabilities);
		this.defaultProvider = defaultProvider;
	}

	/**
	 * Build the providers.
	 * @param settings the validated configuration
	 * @param factories the provider-type factories, shipped and the application's
	 * @param verifiers the application's verifier beans, by bean name
	 * @param http the provider HTTP client
	 * @return the providers
	 */
	static CaptchaProviderRegistry create(CaptchaSettings settings, List<CaptchaProviderFactory> factories,
			Map<String, CaptchaVerifier> verifiers, CaptchaHttpClient http) {
		return create(settings, factories, verifiers, http, null);
	}

	/**
	 * Build the providers, their verifiers replaced by an override's when there is one.
	 * @param settings the validated configuration
	 * @param factories the provider-type factories, shipped and the application's
	 * @param verifiers the application's verifier beans, by bean name
	 * @param http the provider HTTP client
	 * @param override the verifiers that replace the providers' (tests), or null
	 * @return the providers
	 */
	static CaptchaProviderRegistry create(CaptchaSettings settings, List<CaptchaProviderFactory> factories,
			Map<String, CaptchaVerifier> verifiers, CaptchaHttpClient http,
			@Nullable CaptchaVerifierOverride override) {
		Map<String, CaptchaProviderFactory> types = byType(factories);
		Map<String, ProviderPolicy> policies = new LinkedHashMap<>();
		Map<String, ProviderCapabilities> capabilities = new LinkedHashMap<>();
		settings.providers().forEach((name, properties) -> {
			String prefix = "providers." + name + ".";
			String type = CaptchaSettings.typeOf(properties);
			CaptchaVerifier bean = verifiers.get(name);
			if (bean != null) {
				PropertyChecks.require(type == null || type.isEmpty(), prefix + "type", properties.getType(),
						"must be left out: '" + name + "' is a CaptchaVerifier bean, which these properties configure");
				policies.put(name,
						CaptchaProviderDefinition.policy(name,
								(override != null) ? override.verifier(name, BEAN_CAPABILITIES.type()) : bean,
								BEAN_CAPABILITIES, properties, settings.tokenMaxLength()));
				capabilities.put(name, BEAN_CAPABILITIES);
				return;
			}
			PropertyChecks.require(type != null && !type.isEmpty(), prefix + "type", null,
					"is required; one of " + types.keySet());
			CaptchaProviderFactory factory = types.get(type);
			PropertyChecks.require(factory != null, prefix + "type", properties.getType(),
					"is not a known provider type " + types.keySet());
			CaptchaProviderDefinition definition = new CaptchaProviderDefinition(name, type, properties, http,
					settings.tokenMaxLength());
			// under an override the type's own settings (secrets, URLs) are not needed
			ProviderPolicy policy = (override != null)
					? definition.policy(override.verifier(name, type), factory.capabilities())
					: factory.createProvider(definition);
			if (!name.equals(policy.name())) {
				throw new IllegalStateException("The CaptchaProviderFactory of type '" + type + "' named provider '"
						+ name + "' '" + policy.name() + "': use CaptchaProviderDefinition.policy(...)");
			}
			policies.put(name, policy);
			capabilities.put(name, factory.capabilities());
		});
		verifiers.forEach((name, verifier) -> {
			if (!policies.containsKey(name)) {
				policies.put(name,
						CaptchaProviderDefinition.policy(name,
								(override != null) ? override.verifier(name, BEAN_CAPABILITIES.type()) : verifier,
								BEAN_CAPABILITIES, new CaptchaProperties.Provider(), settings.tokenMaxLength()));
				capabilities.put(name, BEAN_CAPABILITIES);
			}
		});
		policies.forEach((name, policy) -> {
			if (policy.verifier().isTestMode()) {
				logger
					.warn("CAPTCHA provider '{}' uses the provider's official TEST credentials: tokens are not really "
							+ "verified and the replay check is off. Never use them in production.", name);
			}
		});
		if (override != null && !policies.isEmpty()) {
			logger.warn(
					"CAPTCHA providers {} are verified by {} instead of their providers (a test set-up): "
							+ "tokens are not really verified. Never use it in production.",
					policies.keySet(), override.getClass().getName());
		}
		return new CaptchaProviderRegistry(policies, capabilities, defaultProvider(settings, policies));
	}

	private static @Nullable String defaultProvider(CaptchaSettings settings, Map<String, ProviderPolicy> policies) {
		String configured = settings.defaultProvider();
		if (configured != null) {
			PropertyChecks.require(policies.containsKey(configured), "default-provider", configured,
					"is not a provider under " + PropertyChecks.PREFIX + ".providers " + policies.keySet());
			return configured;
		}
		if (policies.size() == 1) {
			return policies.keySet().iterator().next();
		}
		PropertyChecks.require(policies.isEmpty(), "default-provider", null,
				"must name one of " + policies.keySet() + " when several providers are configured");
		return null;
	}

	/**
	 * The factories by type; an application's factory replaces the shipped one of the
	 * same type.
	 * @param factories the shipped factories and the application's
	 * @return the factories by type
	 * @throws IllegalStateException if two of the application's factories claim one type
	 */
	static Map<String, CaptchaProviderFactory> byType(List<CaptchaProviderFactory> factories) {
		Map<String, CaptchaProviderFactory> types = new LinkedHashMap<>();
		for (CaptchaProviderFactory factory : factories) {
			String type = factory.type().trim().toLowerCase(Locale.ROOT);
			CaptchaProviderFactory existing = types.get(type);
			if (existing == null || existing instanceof ShippedProviderFactory) {
				if (existing == null || !(factory instanceof ShippedProviderFactory)) {
					types.put(type, factory);
				}
			}
			else if (!(factory instanceof ShippedProviderFactory)) {
				throw new IllegalStateException("Two CaptchaProviderFactory beans build provider type '" + type + "': "
						+ existing.getClass().getName() + " and " + factory.getClass().getName());
			}
		}
		return new LinkedHashMap<>(new TreeMap<>(types));
	}

	/**
	 * What each provider of an engine supports: from this registry when the engine was
	 * built from it, else (an application's own engine) the shipped type whose verifier
	 * it uses.
	 * @param registry the registry, or null if there is none
	 * @param service the verification engine
	 * @param factories the provider-type factories
	 * @return the capabilities by provider name
	 */
	static Map<String, ProviderCapabilities> capabilities(@Nullable CaptchaProviderRegistry registry,
			CaptchaVerificationService service, List<CaptchaProviderFactory> factories) {
		if (registry != null) {
			return registry.capabilities;
		}
		Map<String, ProviderCapabilities> capabilities = new LinkedHashMap<>();
		for (String name : new TreeSet<>(service.providerNames())) {
			ProviderPolicy policy = service.provider(name);
			for (CaptchaProviderFactory factory : factories) {
				if (policy != null && factory instanceof ShippedProviderFactory shipped
						&& shipped.builds(policy.verifier())) {
					capabilities.put(name, shipped.capabilities());
				}
			}
		}
		return capabilities;
	}

	@Nullable ProviderPolicy policy(String name) {
		return this.policies.get(name);
	}

	@Nullable ProviderCapabilities capabilities(String name) {
		return this.capabilities.get(name);
	}

	List<ProviderPolicy> policies() {
		return new ArrayList<>(this.policies.values());
	}

	@Nullable String defaultProvider() {
		return this.defaultProvider;
	}

}
