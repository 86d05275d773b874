package io.github.captchasecurity.annotation;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.ProviderPolicy;
import io.github.captchasecurity.provider.builtin.BuiltinCaptchaVerifier;
import io.github.captchasecurity.provider.builtin.ChallengeType;
import io.github.captchasecurity.provider.captchala.CaptchalaVerifier;
import io.github.captchasecurity.servlet.CaptchaRuleResolver;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.util.Assert;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * Finds the {@link RequireCaptcha} rule of the handler method Spring MVC will dispatch a
 * request to. It asks the {@link RequestMappingHandlerMapping}s themselves, so a
 * protected handler is found by exactly the matching Spring MVC uses (HEAD served by GET,
 * path variables, content negotiation). Annotations are read once, after all singletons
 * are created, and validated then like {@code captcha.routes}: an unknown provider or
 * escalation provider, a score outside 0..1, {@code escalateBelow} without
 * {@code escalateTo}, a server challenge on a provider that cannot bind one to a client,
 * unknown challenge types or two different {@code @RequireCaptcha} on one method fail
 * start-up. Rules are kept per handler method and controller class, so controllers
 * inheriting one handler method from a common base class keep their own class-level
 * annotations. When no handler carries the annotation, requests are not looked up at all,
 * nor are requests with a method no annotated handler is mapped to.
 *
 * @since 0.1.0
 */
public final class RequireCaptchaRuleResolver implements CaptchaRuleResolver, SmartInitializingSingleton, Ordered {

	private static final Logger logger = LoggerFactory.getLogger(RequireCaptchaRuleResolver.class);

	private final Collection<RequestMappingHandlerMapping> handlerMappings;

	private final Set<String> providerNames;

	private final boolean hasDefaultProvider;

	private volatile @Nullable Map<HandlerKey, CaptchaRule> rules;

	/**
	 * The HTTP methods of the annotated handlers' mappings (upper case, GET adding HEAD),
	 * or null when one of them maps every method; set with {@link #rules}.
	 */
	private volatile String @Nullable [] methods;

	private @Nullable CaptchaVerificationService verificationService;

	/**
	 * Create a resolver.
	 * @param handlerMappings the handler mappings of the application
	 * @param providerNames the configured provider names, for validation
	 * @param hasDefaultProvider whether annotations without a provider have one to fall
	 * back on
	 */
	public RequireCaptchaRuleResolver(Collection<RequestMappingHandlerMapping> handlerMappings,
			Set<String> providerNames, boolean hasDefaultProvider) {
		Assert.notNull(handlerMappings, "handlerMappings cannot be null");
		Assert.notNull(providerNames, "providerNames cannot be null");
		this.handlerMappings = List.copyOf(handlerMappings);
		this.providerNames = Set.copyOf(providerNames);
		this.hasDefaultProvider = hasDefaultProvider;
	}

	/**
	 * Set the verification service, so that {@link RequireCaptcha#challengeTypes()} is
	 * checked at start-up against the providers: it needs a provider of type builtin
	 * whose site keys allow the types. Without it, only the type names are checked.
	 * @param verificationService the service
	 */
	public void setVerificationService(CaptchaVerificationService verificationService) {
		Assert.notNull(verificationService, "verificationService cannot be null");
		this.verificationService = verificationService;
	}

	/**
	 * Runs before path-based resolvers: the annotation on a handler is the more specific
	 * statement.
	 * @return {@link Ordered#HIGHEST_PRECEDENCE} plus 100
	 */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 100;
	}

	@Override
	public void afterSingletonsInstantiated() {
		rules();
	}

	/**
	 * Whether an annotated handler is mapped to this method (or to every method): other
	 * requests are not looked up.
	 * @param method the HTTP method, compared ignoring case
	 * @return {@code false} if no annotated handler serves requests with this method
	 */
	@Override
	public boolean mayProtect(String method) {
		if (rules().isEmpty()) {
			return false;
		}
		String[] mapped = this.methods;
		if (mapped == null) {
			return true;
		}
		for (String each : mapped) {
			if (each.equalsIgnoreCase(method)) {
				return true;
			}
		}
		return false;
	}

	@Override
	public @Nullable CaptchaRule resolve(HttpServletRequest request) {
		Map<HandlerKey, CaptchaRule> rules = rules();
		if (rules.isEmpty()) {
			return null;
		}
		HttpServletRequest lookup = new AttributeIsolatingRequest(request);
		for (RequestMappingHandlerMapping mapping : this.handlerMappings) {
			HandlerExecutionChain chain;
			try {
				// parse the path as it is now: the one a DispatcherServlet cached is
				// stale in a forward dispatch
				ServletRequestPathUtils.parseAndCache(lookup);
				chain = mapping.getHandler(lookup);
			}
			catch (Exception ex) {
				// no handler will run for this request (405, 406, 415): nothing to
				// protect
				logger.trace("Handler lookup failed: {}", ex.getClass().getName());
				return null;
			}
			if (chain != null) {
				return (chain.getHandler() instanceof HandlerMethod handlerMethod)
						? rules.get(HandlerKey.of(handlerMethod)) : null;
			}
		}
		return null;
	}

	/**
	 * Return the rule of a handler method: the {@link RequireCaptcha} on it, else on its
	 * class.
	 * @param handlerMethod the handler method Spring MVC dispatches to
	 * @return the rule, or null if the handler does not require a CAPTCHA
	 */
	public @Nullable CaptchaRule resolve(HandlerMethod handlerMethod) {
		Assert.notNull(handlerMethod, "handlerMethod cannot be null");
		Map<HandlerKey, CaptchaRule> rules = rules();
		return rules.isEmpty() ? null : rules.get(HandlerKey.of(handlerMethod));
	}

	private Map<HandlerKey, CaptchaRule> rules() {
		Map<HandlerKey, CaptchaRule> rules = this.rules;
		if (rules == null) {
			synchronized (this) {
				rules = this.rules;
				if (rules == null) {
					rules = scan();
					this.rules = rules;
				}
			}
		}
		return rules;
	}

	private Map<HandlerKey, CaptchaRule> scan() {
		Map<HandlerKey, CaptchaRule> found = new HashMap<>();
		Set<String> mappedMethods = new LinkedHashSet<>();
		boolean everyMethod = false;
		for (RequestMappingHandlerMapping mapping : this.handlerMappings) {
			for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mapping.getHandlerMethods().entrySet()) {
				HandlerMethod handlerMethod = entry.getValue();
				CaptchaRule rule = ruleOf(handlerMethod.getMethod(), handlerMethod.getBeanType());
				if (rule != null) {
					found.put(HandlerKey.of(handlerMethod), rule);
					Set<RequestMethod> methods = entry.getKey().getMethodsCondition().getMethods();
					everyMethod |= methods.isEmpty();
					for (RequestMethod method : methods) {
						mappedMethods.add(method.name());
						if (method == RequestMethod.GET) {
							mappedMethods.add("HEAD");
						}
					}
				}
			}
		}
		if (!found.isEmpty()) {
			logger.debug("@RequireCaptcha protects {} handler method(s)", found.size());
		}
		this.methods = everyMethod ? null : mappedMethods.toArray(String[]::new);
		return Map.copyOf(found);
	}

	@Nullable CaptchaRule ruleOf(Method method, Class<?> beanType) {
		RequireCaptcha annotation = unique(MergedAnnotations.from(method, SearchStrategy.TYPE_HIERARCHY), method);
		if (annotation == null) {
			annotation = unique(MergedAnnotations.from(beanType, SearchStrategy.TYPE_HIERARCHY), method);
		}
		return (annotation != null) ? toRule(annotation, method, beanType) : null;
	}

	private static @Nullable RequireCaptcha unique(MergedAnnotations annotations, Method method) {
		List<RequireCaptcha> found = annotations.stream(RequireCaptcha.class)
			.map(MergedAnnotation::synthesize)
			.distinct()
			.toList();
		if (found.size() > 1) {
			throw new IllegalStateException("Found " + found.size() + " different @RequireCaptcha on "
					+ describe(method) + ": " + found + ". Declare exactly one.");
		}
		return found.isEmpty() ? null : found.get(0);
	}

	private CaptchaRule toRule(RequireCaptcha annotation, Method method, Class<?> beanType) {
		String provider = annotation.provider().isBlank() ? null : annotation.provider().trim();
		if (provider != null && !this.providerNames.contains(provider)) {
			throw new IllegalStateException("@RequireCaptcha on " + describe(method) + " names provider '" + provider
					+ "', which is not configured under captcha.providers " + this.providerNames);
		}
		if (provider == null && !this.hasDefaultProvider) {
			throw new IllegalStateException("@RequireCaptcha on " + describe(method)
					+ " needs a provider: configure one under captcha.providers (and captcha.default-provider)");
		}
		double score = annotation.minScore();
		if (Double.isNaN(score) || score > 1.0) {
			throw new IllegalStateException("@RequireCaptcha on " + describe(method) + " has minScore " + score
					+ "; it must be between 0.0 and 1.0, or negative for the provider's setting");
		}
		String action = annotation.action().isBlank() ? null : annotation.action().trim();
		String escalateTo = annotation.escalateTo().isBlank() ? null : annotation.escalateTo().trim();
		if (escalateTo != null && !this.providerNames.contains(escalateTo)) {
			throw new IllegalStateException("@RequireCaptcha on " + describe(method, beanType) + " sets escalateTo '"
					+ escalateTo + "', which is not configured under captcha.providers " + this.providerNames);
		}
		double below = annotation.escalateBelow();
		if (Double.isNaN(below) || below > 1.0) {
			throw new IllegalStateException("@RequireCaptcha on " + describe(method, beanType) + " has escalateBelow "
					+ below + "; it must be between 0.0 and 1.0, or negative for no score band");
		}
		Double escalateBelow = (below < 0) ? null : below;
		if (escalateBelow != null && escalateTo == null) {
			throw new IllegalStateException("@RequireCaptcha on " + describe(method, beanType)
					+ " sets escalateBelow, which needs escalateTo naming the stronger provider");
		}
		List<String> providers = (provider != null) ? List.of(provider) : List.of();
		if (annotation.serverChallenge()) {
			checkServerChallenge(provider, escalateTo, method, beanType);
		}
		CaptchaRule rule = new CaptchaRule(providers, action, (score < 0) ? null : score, annotation.failOpen(),
				escalateBelow, escalateTo, annotation.serverChallenge(), challengeTypes(annotation, provider, method),
				escalateChallengeTypes(annotation, provider, escalateTo, method, beanType));
		CaptchaVerificationService service = this.verificationService;
		List<String> actionless = (service != null) ? service.providersWithoutActions(rule) : List.of();
		if (!actionless.isEmpty()) {
			throw new IllegalStateException("@RequireCaptcha on " + describe(method, beanType) + " sets action '"
					+ action + "', which provider(s) " + actionless
					+ " cannot check: they never report an action, so every token would be refused; remove the "
					+ "action or use a provider that reports one");
		}
		return rule;
	}

	/**
	 * Server-issued challenges are bound to a client only by the providers of type
	 * builtin and captchala.
	 * @param provider the provider the annotation names, or null for the default
	 * @param escalateTo the escalation provider, or null
	 * @param method the handler method, for the message
	 * @param beanType the handler type, for the message
	 */
	private void checkServerChallenge(@Nullable String provider, @Nullable String escalateTo, Method method,
			Class<?> beanType) {
		CaptchaVerificationService service = this.verificationService;
		if (service == null) {
			return;
		}
		List<String> names = new ArrayList<>();
		names.add((provider != null) ? provider : service.defaultProvider());
		if (escalateTo != null) {
			names.add(escalateTo);
		}
		for (String name : names) {
			ProviderPolicy policy = (name != null) ? service.provider(name) : null;
			if (policy != null && !(policy.verifier() instanceof BuiltinCaptchaVerifier)
					&& !(policy.verifier() instanceof CaptchalaVerifier)) {
				throw new IllegalStateException("@RequireCaptcha on " + describe(method, beanType)
						+ " sets serverChallenge, which needs providers of type builtin or captchala; '" + name
						+ "' cannot tell which client a challenge was issued for");
			}
		}
	}

	/**
	 * The challenge types escalations to a built-in provider ask for: the ones named,
	 * else the strongest its site keys allow; none when the escalation provider is the
	 * handler's own (its tokens are never escalated).
	 * @param annotation the annotation
	 * @param provider the provider the annotation names, or null for the default
	 * @param escalateTo the escalation provider, or null
	 * @param method the handler method, for the messages
	 * @param beanType the handler type, for the messages
	 * @return the wire names of the types
	 */
	private List<String> escalateChallengeTypes(RequireCaptcha annotation, @Nullable String provider,
			@Nullable String escalateTo, Method method, Class<?> beanType) {
		List<String> types = new ArrayList<>();
		for (String name : annotation.escalateChallengeTypes()) {
			ChallengeType type = ChallengeType.fromWireName(name);
			if (type == null) {
				throw new IllegalStateException("@RequireCaptcha on " + describe(method, beanType)
						+ " names escalate challenge type '" + name + "'; it must be one of image, math, grid, pow");
			}
			types.add(type.wireName());
		}
		if (!types.isEmpty() && escalateTo == null) {
			throw new IllegalStateException("@RequireCaptcha on " + describe(method, beanType)
					+ " sets escalateChallengeTypes, which need escalateTo naming a provider of type builtin");
		}
		CaptchaVerificationService service = this.verificationService;
		if (service == null || escalateTo == null) {
			return types;
		}
		ProviderPolicy policy = service.provider(escalateTo);
		if (policy == null || !(policy.verifier() instanceof BuiltinCaptchaVerifier builtin)) {
			if (!types.isEmpty()) {
				throw new IllegalStateException("@RequireCaptcha on " + describe(method, beanType)
						+ " sets escalateChallengeTypes, which need escalateTo naming a provider of type builtin; '"
						+ escalateTo + "' is a hosted provider");
			}
			return types;
		}
		String own = (provider != null) ? provider : service.defaultProvider();
		if (escalateTo.equals(own)) {
			if (!types.isEmpty()) {
				throw new IllegalStateException("@RequireCaptcha on " + describe(method, beanType)
						+ " sets escalateChallengeTypes, which need escalateTo to name a provider the handler does "
						+ "not accept itself (another provider of type builtin)");
			}
			return types;
		}
		for (String type : types) {
			if (!builtin.challengeTypes().contains(ChallengeType.fromWireName(type))) {
				throw new IllegalStateException(
						"@RequireCaptcha on " + describe(method, beanType) + " sets escalate challenge type '" + type
								+ "', which captcha.builtin.challenge-types does not allow");
			}
		}
		return types.isEmpty() ? List.of(ChallengeType.strongest(builtin.challengeTypes()).wireName()) : types;
	}

	private List<String> challengeTypes(RequireCaptcha annotation, @Nullable String provider, Method method) {
		List<String> types = new ArrayList<>();
		for (String name : annotation.challengeTypes()) {
			ChallengeType type = ChallengeType.fromWireName(name);
			if (type == null) {
				throw new IllegalStateException("@RequireCaptcha on " + describe(method) + " names challenge type '"
						+ name + "'; it must be one of image, math, grid, pow");
			}
			types.add(type.wireName());
		}
		CaptchaVerificationService service = this.verificationService;
		if (types.isEmpty() || service == null) {
			return types;
		}
		String name = (provider != null) ? provider : service.defaultProvider();
		ProviderPolicy policy = (name != null) ? service.provider(name) : null;
		if (policy == null || !(policy.verifier() instanceof BuiltinCaptchaVerifier builtin)) {
			throw new IllegalStateException("@RequireCaptcha on " + describe(method) + " sets challengeTypes " + types
					+ ", which need a provider of type builtin; '" + name + "' is a hosted provider");
		}
		for (String type : types) {
			if (!builtin.challengeTypes().contains(ChallengeType.fromWireName(type))) {
				throw new IllegalStateException("@RequireCaptcha on " + describe(method) + " sets challenge type '"
						+ type + "', which captcha.builtin.challenge-types does not allow");
			}
		}
		return types;
	}

	private static String describe(Method method) {
		return method.getDeclaringClass().getName() + "#" + method.getName();
	}

	private static String describe(Method method, Class<?> beanType) {
		return beanType.equals(method.getDeclaringClass()) ? describe(method) : beanType.getName() + "#"
				+ method.getName() + " (declared in " + method.getDeclaringClass().getName() + ")";
	}

	/**
	 * A handler method and the class of the controller it is called on: one method
	 * inherited by two controllers (a generic or abstract base class) has the rule of
	 * each controller's own class-level annotation.
	 */
	private record HandlerKey(Method method, Class<?> beanType) {

		static HandlerKey of(HandlerMethod handlerMethod) {
			return new HandlerKey(handlerMethod.getMethod(), handlerMethod.getBeanType());
		}

	}

	/** Keeps the attributes the handler lookup sets away from the real request. */
	private static final class AttributeIsolatingRequest extends HttpServletRequestWrapper {

		private final Map<String, @Nullable Object> attributes = new HashMap<>();

		AttributeIsolatingRequest(HttpServletRequest request) {
			super(request);
		}

		@Override
		public @Nullable Object getAttribute(String name) {
			return this.attributes.containsKey(name) ? this.attributes.get(name) : super.getAttribute(name);
		}

		@Override
		public void setAttribute(String name, @Nullable Object value) {
			this.attributes.put(name, value);
		}

		@Override
		public void removeAttribute(String name) {
			this.attributes.put(name, null);
		}

	}

}
