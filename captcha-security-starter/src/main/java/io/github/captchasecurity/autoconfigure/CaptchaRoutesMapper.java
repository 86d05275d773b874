package io.github.captchasecurity.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.ProviderCapabilities;
import io.github.captchasecurity.ProviderPolicy;
import io.github.captchasecurity.web.PathPatternCaptchaRuleResolver;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.StringUtils;

/**
 * Maps {@code captcha.routes} to the route rules, checked against the engine's providers
 * and what their types support ({@link ProviderCapabilities}): server challenges,
 * challenge types.
 */
final class CaptchaRoutesMapper {

	private static final Logger logger = LoggerFactory.getLogger(CaptchaRoutesMapper.class);

	private final CaptchaSettings settings;

	private final CaptchaVerificationService service;

	private final Map<String, ProviderCapabilities> capabilities;

	CaptchaRoutesMapper(CaptchaSettings settings, CaptchaVerificationService service,
			Map<String, ProviderCapabilities> capabilities) {
		this.settings = settings;
		this.service = service;
		this.capabilities = capabilities;
	}

	PathPatternCaptchaRuleResolver routeResolver() {
		PathPatternCaptchaRuleResolver.Builder builder = PathPatternCaptchaRuleResolver.builder();
		List<CaptchaProperties.Route> routes = this.settings.properties().getRoutes();
		for (int i = 0; i < routes.size(); i++) {
			route(builder, i, routes.get(i));
		}
		return builder.build();
	}

	private void route(PathPatternCaptchaRuleResolver.Builder builder, int i, CaptchaProperties.Route route) {
		String prefix = "routes[" + i + "].";
		PropertyChecks.require(StringUtils.hasText(route.getPath()), prefix + "path", route.getPath(), "is required");
		List<String> providers = providers(prefix, route);
		PropertyChecks.requireScore(prefix + "min-score", route.getMinScore());
		List<String> effective = providers.isEmpty() ? List.of(this.service.defaultProvider()) : providers;
		for (String name : effective) {
			ProviderPolicy policy = this.service.provider(name);
			if (policy != null && !policy.scored() && route.getMinScore() != null) {
				logger.warn("captcha.routes[{}].min-score is ignored for provider '{}': it does not score tokens", i,
						name);
			}
			if (policy != null && selfHosted(name)) {
				PropertyChecks.require(!this.settings.properties().getBuiltin().getSiteKeys().isEmpty(),
						"builtin.site-keys", null, "needs at least one site key: captcha.routes[" + i
								+ "] uses the built-in provider '" + name + "'");
			}
		}
		String action = PropertyChecks.trimmed(route.getAction());
		PropertyChecks.requireScore(prefix + "escalate-below", route.getEscalateBelow());
		String escalateTo = PropertyChecks.trimmed(route.getEscalateTo());
		if (escalateTo != null) {
			PropertyChecks.require(this.service.providerNames().contains(escalateTo), prefix + "escalate-to",
					escalateTo,
					"is not a provider under " + PropertyChecks.PREFIX + ".providers " + this.service.providerNames());
		}
		PropertyChecks.require(route.getEscalateBelow() == null || escalateTo != null, prefix + "escalate-to", null,
				"is required when escalate-below is set");
		if (route.isServerChallenge()) {
			List<String> checked = new ArrayList<>(effective);
			if (escalateTo != null) {
				checked.add(escalateTo);
			}
			for (String name : checked) {
				ProviderCapabilities type = this.capabilities.get(name);
				PropertyChecks.require(this.service.provider(name) == null || (type != null && type.serverChallenges()),
						prefix + "server-challenge", true, "needs providers of type builtin or captchala; '" + name
								+ "' cannot tell which client a challenge was issued for");
			}
		}
		List<String> types = challengeTypes(prefix + "challenge-types", route.getChallengeTypes());
		PropertyChecks.require(types.isEmpty() || effective.stream().anyMatch(this::selfHosted),
				prefix + "challenge-types", route.getChallengeTypes(), "needs a provider of type builtin: " + effective
						+ " are hosted providers, which have no challenge types");
		List<String> escalateTypes = challengeTypes(prefix + "escalate-challenge-types",
				route.getEscalateChallengeTypes());
		boolean builtinEscalation = selfHosted(escalateTo);
		PropertyChecks.require(escalateTypes.isEmpty() || builtinEscalation, prefix + "escalate-challenge-types",
				route.getEscalateChallengeTypes(), "needs escalate-to naming a provider of type builtin");
		if (builtinEscalation && effective.contains(escalateTo)) {
			// its tokens pass as the route's own: they are never escalated, so no type
			// can be asked of them
			PropertyChecks.require(escalateTypes.isEmpty(), prefix + "escalate-challenge-types",
					route.getEscalateChallengeTypes(),
					"needs escalate-to to name a provider the route does not accept itself (another provider of "
							+ "type builtin)");
		}
		else if (builtinEscalation && escalateTypes.isEmpty()) {
			escalateTypes = List.of(BuiltinPropertiesMapper.strongestChallengeType(this.settings.builtinSettings()));
		}
		List<String> methods = new ArrayList<>();
		for (String method : route.getMethods()) {
			PropertyChecks.require(PathPatternCaptchaRuleResolver.isHttpMethod(method), prefix + "methods", method,
					"is not an HTTP method: use one of " + PathPatternCaptchaRuleResolver.HTTP_METHODS
							+ " (in any case)");
			methods.add(method.trim());
		}
		CaptchaRule rule;
		try {
			rule = new CaptchaRule(providers, action, route.getMinScore(), route.isFailOpen(), route.getEscalateBelow(),
					escalateTo, route.isServerChallenge(), types, escalateTypes);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(PropertyChecks.PREFIX + "." + prefix + "path",
					route.getPath(), ex.getMessage());
		}
		List<String> actionless = this.service.providersWithoutActions(rule);
		PropertyChecks
			.require(actionless.isEmpty(), prefix + "action", action, "cannot be checked: provider(s) " + actionless
					+ " never report an action, so every token would be refused; remove the action or use a provider "
					+ "that reports one (builtin, recaptcha v3, recaptcha-enterprise, turnstile, captchala)");
		try {
			builder.route(route.getPath(), methods, rule);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(PropertyChecks.PREFIX + "." + prefix + "path",
					route.getPath(), ex.getMessage());
		}
	}

	private List<String> providers(String prefix, CaptchaProperties.Route route) {
		List<String> providers = new ArrayList<>();
		for (String name : route.getProvider()) {
			PropertyChecks.require(StringUtils.hasText(name), prefix + "provider", name,
					"cannot contain an empty name");
			PropertyChecks.require(this.service.providerNames().contains(name.trim()), prefix + "provider", name.trim(),
					"is not a provider under " + PropertyChecks.PREFIX + ".providers " + this.service.providerNames());
			providers.add(name.trim());
		}
		if (providers.isEmpty()) {
			PropertyChecks.require(this.service.defaultProvider() != null, prefix + "provider", null,
					"is needed: no default provider is configured (" + PropertyChecks.PREFIX + ".providers is "
							+ (this.service.providerNames().isEmpty() ? "empty" : "ambiguous") + ")");
		}
		return providers;
	}

	private List<String> challengeTypes(String property, List<String> names) {
		return BuiltinPropertiesMapper.routeChallengeTypes(property, names, this.settings.builtinSettings(),
				this.settings.properties().getBuiltin().getChallengeTypes());
	}

	private boolean selfHosted(@Nullable String provider) {
		ProviderCapabilities type = (provider != null) ? this.capabilities.get(provider) : null;
		return type != null && type.selfHosted() && this.service.provider(provider) != null;
	}

}
