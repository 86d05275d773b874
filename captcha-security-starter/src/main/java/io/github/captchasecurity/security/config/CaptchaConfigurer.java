package io.github.captchasecurity.security.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.autoconfigure.CaptchaProperties;
import io.github.captchasecurity.clientip.ClientIpResolver;
import io.github.captchasecurity.message.CaptchaMessages;
import io.github.captchasecurity.provider.builtin.BuiltinCaptchaVerifier;
import io.github.captchasecurity.provider.builtin.ChallengeType;
import io.github.captchasecurity.provider.captchala.CaptchalaVerifier;
import io.github.captchasecurity.security.web.CaptchaLoginAttempts;
import io.github.captchasecurity.security.web.SecurityCaptchaFailureHandler;
import io.github.captchasecurity.servlet.CaptchaFailureHandler;
import io.github.captchasecurity.servlet.CaptchaLocaleResolver;
import io.github.captchasecurity.servlet.CaptchaRuleResolver;
import io.github.captchasecurity.servlet.CaptchaVerificationFilter;
import io.github.captchasecurity.servlet.ProblemDetailCaptchaFailureHandler;
import io.github.captchasecurity.token.CaptchaTokenResolver;
import io.github.captchasecurity.token.DefaultCaptchaTokenResolver;
import io.github.captchasecurity.web.CaptchaFilterSwitch;
import io.github.captchasecurity.web.PathPatternCaptchaRuleResolver;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.HttpSecurityBuilder;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.ui.DefaultLoginPageGeneratingFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.Assert;
import org.springframework.util.function.SingletonSupplier;

/**
 * Adds CAPTCHA verification to a Spring Security filter chain, the Spring Security 7 way:
 * <pre class="code">
 * http.formLogin(Customizer.withDefaults())
 *     .with(captcha(), (captcha) -&gt; captcha
 *         .requireOn("/api/contact").methods("POST").action("contact"));
 * </pre>
 * <p>
 * The configurer adds a {@link CaptchaVerificationFilter} before the
 * {@link UsernamePasswordAuthenticationFilter}. It verifies, in this order of precedence:
 * the routes declared here, the login form submission (POST to
 * {@link #loginProcessingUrl(String)}) once {@link CaptchaLoginAttempts} says failed
 * logins require it, and the routes of {@code captcha.routes} and
 * {@code @RequireCaptcha}. For the requests this filter chain serves, the standalone
 * servlet registration of the filter steps aside ({@link CaptchaFilterSwitch}), so no
 * token is verified twice; requests other chains serve are still verified by the
 * standalone filter. Requests the filter verifies are marked
 * ({@link io.github.captchasecurity.servlet.VerifiedRequest}), so the Spring MVC
 * interceptor that checks {@code @RequireCaptcha} handlers and {@code captcha.routes}
 * again before the handler runs does not verify them again; the routes declared here are
 * enforced by this filter only.
 * <p>
 * A CAPTCHA failure on the login form is handled like a failed login: by
 * {@link #loginFailureHandler}, by default a redirect back to the login page
 * ({@code /login?error&captcha}, or {@code /login?error} on Spring Security's default
 * login page), and counted as a failed login. Clients asking for JSON, and all other
 * routes, get the RFC 9457 answer of the {@link CaptchaFailureHandler} bean. Every
 * setting applies to this filter chain only: two chains with their own login forms keep
 * their own username parameters, routes and handlers.
 * <p>
 * Beans read from the application context: {@link CaptchaVerificationService} (required,
 * except with {@code captcha.enabled=false}, where the configurer adds nothing and logs
 * so at INFO), {@link CaptchaTokenResolver}, {@link ClientIpResolver},
 * {@link CaptchaFailureHandler}, {@link CaptchaRuleResolver}s,
 * {@link CaptchaLoginAttempts} and {@link CaptchaFilterSwitch} (each optional).
 *
 * @param <H> the security builder
 * @since 0.1.0
 */
public final class CaptchaConfigurer<H extends HttpSecurityBuilder<H>>
		extends AbstractHttpConfigurer<CaptchaConfigurer<H>, H> {

	private static final Logger logger = LoggerFactory.getLogger(CaptchaConfigurer.class);

	private final List<Route> routes = new ArrayList<>();

	private String loginProcessingUrl = "/login";

	private String usernameParameter = "username";

	private boolean loginCaptcha = true;

	private String loginAction = "login";

	private boolean loginActionSet;

	private @Nullable String loginProvider;

	private @Nullable AuthenticationFailureHandler loginFailureHandler;

	private @Nullable CaptchaFailureHandler failureHandler;

	/**
	 * Create a configurer; prefer {@link #captcha()}.
	 */
	public CaptchaConfigurer() {
	}

	/**
	 * Create a configurer, for {@code http.with(captcha(), (c) -> ...)}.
	 * @param <H> the security builder
	 * @return a new configurer
	 */
	public static <H extends HttpSecurityBuilder<H>> CaptchaConfigurer<H> captcha() {
		return new CaptchaConfigurer<>();
	}

	/**
	 * Require a verified CAPTCHA on requests matching these path patterns (Spring
	 * {@code PathPattern} syntax, every method unless {@link Route#methods(String...)}
	 * says otherwise).
	 * @param patterns the path patterns
	 * @return the route, to set its method, action, provider and score
	 */
	public Route requireOn(String... patterns) {
		Assert.notEmpty(patterns, "patterns cannot be empty");
		Route route = new Route(Arrays.asList(patterns));
		this.routes.add(route);
		return route;
	}

	/**
	 * Set the URL the login form posts to. Defaults to {@code /login}.
	 * @param loginProcessingUrl the URL
	 * @return this configurer
	 */
	public CaptchaConfigurer<H> loginProcessingUrl(String loginProcessingUrl) {
		Assert.hasText(loginProcessingUrl, "loginProcessingUrl cannot be empty");
		this.loginProcessingUrl = loginProcessingUrl;
		return this;
	}

	/**
	 * Set the login form's username parameter, for counting failed logins per username.
	 * Defaults to {@code username}.
	 * @param usernameParameter the parameter
	 * @return this configurer
	 */
	public CaptchaConfigurer<H> usernameParameter(String usernameParameter) {
		Assert.hasText(usernameParameter, "usernameParameter cannot be empty");
		this.usernameParameter = usernameParameter;
		return this;
	}

	/**
	 * Set whether the login form requires a CAPTCHA after failed logins
	 * ({@code captcha.login.*}). Defaults to {@code true}.
	 * @param loginCaptcha whether to protect the login form
	 * @return this configurer
	 */
	public CaptchaConfigurer<H> loginCaptcha(boolean loginCaptcha) {
		this.loginCaptcha = loginCaptcha;
		return this;
	}

	/**
	 * Set the action login tokens must carry. Defaults to {@code login}; with a provider
	 * that never reports actions (hCaptcha, Friendly Captcha) the default is not checked
	 * and an action set here fails start-up.
	 * @param loginAction the action
	 * @return this configurer
	 */
	public CaptchaConfigurer<H> loginAction(String loginAction) {
		Assert.hasText(loginAction, "loginAction cannot be empty");
		this.loginAction = loginAction;
		this.loginActionSet = true;
		return this;
	}

	/**
	 * Set the provider verifying login tokens. Defaults to
	 * {@code captcha.default-provider}.
	 * @param loginProvider the provider name
	 * @return this configurer
	 */
	public CaptchaConfigurer<H> loginProvider(String loginProvider) {
		Assert.hasText(loginProvider, "loginProvider cannot be empty");
		this.loginProvider = loginProvider;
		return this;
	}

	/**
	 * Set how CAPTCHA failures of login form submissions from browsers are answered.
	 * Defaults to a redirect to the login page: {@code /login?error} when the chain uses
	 * Spring Security's default login page (which serves no other query), else the
	 * {@link #loginProcessingUrl(String) login processing URL} with
	 * {@code ?error&captcha} ({@code /login?error&captcha}).
	 * @param loginFailureHandler the handler
	 * @return this configurer
	 */
	public CaptchaConfigurer<H> loginFailureHandler(AuthenticationFailureHandler loginFailureHandler) {
		Assert.notNull(loginFailureHandler, "loginFailureHandler cannot be null");
		this.loginFailureHandler = loginFailureHandler;
		return this;
	}

	/**
	 * Set how other CAPTCHA failures are answered. Defaults to the
	 * {@link CaptchaFailureHandler} bean, else problem+json.
	 * @param failureHandler the handler
	 * @return this configurer
	 */
	public CaptchaConfigurer<H> failureHandler(CaptchaFailureHandler failureHandler) {
		Assert.notNull(failureHandler, "failureHandler cannot be null");
		this.failureHandler = failureHandler;
		return this;
	}

	@Override
	public void configure(H http) {
		ApplicationContext context = http.getSharedObject(ApplicationContext.class);
		Assert.state(context != null, "CaptchaConfigurer needs an ApplicationContext");
		CaptchaVerificationService service = context.getBeanProvider(CaptchaVerificationService.class).getIfAvailable();
		if (service == null) {
			Assert.state(!context.getEnvironment().getProperty("captcha.enabled", Boolean.class, true),
					"CaptchaConfigurer needs a CaptchaVerificationService bean: add captcha-security-starter's "
							+ "auto-configuration (or define the bean), or set captcha.enabled=false to switch CAPTCHA off");
			logger
				.info("captcha.enabled is false: CaptchaConfigurer adds no CAPTCHA verification to this filter chain");
			return;
		}
		ClientIpResolver clientIp = context.getBeanProvider(ClientIpResolver.class)
			.getIfAvailable(ClientIpResolver::socketPeer);
		CaptchaLoginAttempts attempts = context.getBeanProvider(CaptchaLoginAttempts.class).getIfAvailable();
		// this chain's username parameter, passed on each call: a shared bean would let
		// the last chain win
		String username = this.usernameParameter;
		RequestMatcher loginRequest = PathPatternRequestMatcher.withDefaults()
			.matcher(HttpMethod.POST, this.loginProcessingUrl);
		List<CaptchaRuleResolver> resolvers = new ArrayList<>();
		resolvers.add(routeResolver(service));
		if (this.loginCaptcha) {
			requireProvider(service, this.loginProvider, "loginProvider");
			CaptchaRule loginRule = loginRule(service);
			resolvers.add((request) -> (loginRequest.matches(request)
					&& (attempts == null || attempts.isCaptchaRequiredForLogin(request, username))) ? loginRule : null);
		}
		context.getBeanProvider(CaptchaRuleResolver.class).orderedStream().forEach(resolvers::add);
		CaptchaFailureHandler apiHandler = (this.failureHandler != null) ? this.failureHandler
				: context.getBeanProvider(CaptchaFailureHandler.class)
					.getIfAvailable(ProblemDetailCaptchaFailureHandler::new);
		CaptchaVerificationFilter filter = new CaptchaVerificationFilter(
				CaptchaRuleResolver.firstOf(resolvers.toArray(CaptchaRuleResolver[]::new)),
				context.getBeanProvider(CaptchaTokenResolver.class).getIfAvailable(DefaultCaptchaTokenResolver::new),
				service);
		filter.setClientIpResolver(clientIp);
		// the property the standalone filter uses too (validated at start-up), default
		// included
		filter.setBusyAnswerDelay(context.getBeanProvider(CaptchaProperties.class)
			.getIfAvailable(CaptchaProperties::new)
			.getHttp()
			.getBusyAnswerDelay());
		SecurityCaptchaFailureHandler failures = new SecurityCaptchaFailureHandler(apiHandler,
				loginFailureHandler(http), loginRequest, attempts, username);
		context.getBeanProvider(CaptchaMessages.class).ifAvailable(failures::setMessages);
		context.getBeanProvider(CaptchaLocaleResolver.class).ifAvailable(failures::setLocaleResolver);
		filter.setFailureHandler(failures);
		filter.setAccountResolver((request) -> loginRequest.matches(request) ? request.getParameter(username) : null);
		CaptchaVerificationFilter added = postProcess(filter);
		http.addFilterBefore(added, UsernamePasswordAuthenticationFilter.class);
		context.getBeanProvider(CaptchaFilterSwitch.class)
			.ifAvailable((filterSwitch) -> filterSwitch.handOverToSecurityFilterChain(servedBy(context, added)));
	}

	// The login rule: tokens must carry the login action, unless the provider never
	// reports actions and
	// none was set explicitly (an explicit one fails start-up).
	private CaptchaRule loginRule(CaptchaVerificationService service) {
		CaptchaRule rule = new CaptchaRule(this.loginProvider, this.loginAction, null);
		List<String> actionless = service.providersWithoutActions(rule);
		if (actionless.isEmpty()) {
			return rule;
		}
		Assert.state(!this.loginActionSet,
				() -> "CaptchaConfigurer loginAction('" + this.loginAction + "') cannot be checked: provider(s) "
						+ actionless + " never report an action, so every login token would be refused; remove "
						+ "loginAction or use a provider that reports one");
		return new CaptchaRule(this.loginProvider, null, null);
	}

	/**
	 * The handler of CAPTCHA failures on the login form: the one set, else a redirect to
	 * a login page that exists. Spring Security's default login page serves
	 * {@code ?error} and nothing else (a redirect to {@code ?error&captcha} would end on
	 * a 404), and it cannot render a widget.
	 * @param http the security builder
	 * @return the failure handler
	 */
	private AuthenticationFailureHandler loginFailureHandler(H http) {
		if (this.loginFailureHandler != null) {
			return this.loginFailureHandler;
		}
		DefaultLoginPageGeneratingFilter defaultPage = http.getSharedObject(DefaultLoginPageGeneratingFilter.class);
		if (defaultPage != null && defaultPage.isEnabled() && defaultPage.getLoginPageUrl() != null) {
			if (this.loginCaptcha) {
				logger.warn("The filter chain with CaptchaConfigurer uses Spring Security's default login page, which "
						+ "cannot render a CAPTCHA widget: once captcha.login.failures-before-captcha is reached, "
						+ "logins from a browser fail (with ?error) until the count window ends. Render the widget on "
						+ "your own login page (see README, Spring Security).");
			}
			return new SimpleUrlAuthenticationFailureHandler(
					defaultPage.getLoginPageUrl() + "?" + DefaultLoginPageGeneratingFilter.ERROR_PARAMETER_NAME);
		}
		return new SimpleUrlAuthenticationFailureHandler(this.loginProcessingUrl + "?error&captcha");
	}

	/**
	 * Whether the first security filter chain matching a request (the one Spring Security
	 * will run) holds the filter. Resolved on first use, once the chains are built.
	 * @param context the application context holding the filter chains
	 * @param filter the filter
	 * @return whether a request is served by a chain holding the filter
	 */
	private static Predicate<HttpServletRequest> servedBy(ApplicationContext context, Filter filter) {
		SingletonSupplier<List<SecurityFilterChain>> chains = SingletonSupplier
			.of(() -> context.getBeanProvider(FilterChainProxy.class)
				.getIfAvailable(() -> new FilterChainProxy(List.of()))
				.getFilterChains());
		return (request) -> {
			for (SecurityFilterChain chain : chains.obtain()) {
				if (chain.matches(request)) {
					return chain.getFilters().contains(filter);
				}
			}
			return false;
		};
	}

	private PathPatternCaptchaRuleResolver routeResolver(CaptchaVerificationService service) {
		PathPatternCaptchaRuleResolver.Builder builder = PathPatternCaptchaRuleResolver.builder();
		for (Route route : this.routes) {
			for (String provider : route.providers) {
				requireProvider(service, provider, "requireOn(" + route.patterns + ").provider");
			}
			requireProvider(service, route.escalateTo, "requireOn(" + route.patterns + ").escalateTo");
			if (route.serverChallenge) {
				List<String> names = new ArrayList<>(route.providers);
				if (names.isEmpty()) {
					names.add(service.defaultProvider());
				}
				if (route.escalateTo != null) {
					names.add(route.escalateTo);
				}
				for (String name : names) {
					Assert.state(
							service.provider(name) != null
									&& (service.provider(name).verifier() instanceof BuiltinCaptchaVerifier
											|| service.provider(name).verifier() instanceof CaptchalaVerifier),
							() -> "CaptchaConfigurer requireOn(" + route.patterns
									+ ").serverChallenge() needs providers " + "of type builtin or captchala; '" + name
									+ "' cannot tell which client a challenge was issued for");
				}
			}
			CaptchaRule rule = new CaptchaRule(route.providers, route.action, route.minScore, route.failOpen,
					route.escalateBelow, route.escalateTo, route.serverChallenge,
					challengeTypes(service, route, route.challengeTypes, false),
					challengeTypes(service, route, route.escalateChallengeTypes, true));
			List<String> actionless = service.providersWithoutActions(rule);
			Assert.state(actionless.isEmpty(),
					() -> "CaptchaConfigurer requireOn(" + route.patterns + ").action('" + route.action
							+ "') cannot be checked: provider(s) " + actionless
							+ " never report an action, so every token would be refused; remove the action or use "
							+ "a provider that reports one");
			for (String pattern : route.patterns) {
				builder.route(pattern, route.methods, rule);
			}
		}
		return builder.build();
	}

	/**
	 * Check the challenge types of a route (or of its escalation) against its built-in
	 * providers; for a built-in escalation that names none, the strongest type its site
	 * keys allow.
	 * @param service the verification engine
	 * @param route the route
	 * @param names the types the route names
	 * @param escalation whether the types are the escalation's
	 * @return the wire names of the types
	 */
	private List<String> challengeTypes(CaptchaVerificationService service, Route route, List<String> names,
			boolean escalation) {
		String what = "CaptchaConfigurer requireOn(" + route.patterns + ")."
				+ (escalation ? "escalateChallengeTypes" : "challengeTypes");
		List<String> providers = new ArrayList<>();
		if (escalation) {
			if (route.escalateTo != null) {
				providers.add(route.escalateTo);
			}
		}
		else if (route.providers.isEmpty()) {
			providers.add(service.defaultProvider());
		}
		else {
			providers.addAll(route.providers);
		}
		BuiltinCaptchaVerifier builtin = null;
		for (String name : providers) {
			if (name != null && service.provider(name) != null
					&& service.provider(name).verifier() instanceof BuiltinCaptchaVerifier verifier) {
				builtin = verifier;
			}
		}
		if (names.isEmpty()) {
			boolean ownProvider = route.providers.contains(route.escalateTo)
					|| (route.providers.isEmpty() && Objects.equals(route.escalateTo, service.defaultProvider()));
			return (escalation && builtin != null && !ownProvider)
					? List.of(ChallengeType.strongest(builtin.challengeTypes()).wireName()) : List.of();
		}
		Assert.state(builtin != null,
				() -> what + " needs a provider of type builtin: " + providers + " have no challenge types");
		List<String> types = new ArrayList<>();
		for (String name : names) {
			ChallengeType type = ChallengeType.fromWireName(name);
			Assert.state(type != null, () -> what + " names '" + name + "', not one of image, math, grid, pow");
			BuiltinCaptchaVerifier verifier = builtin;
			Assert.state(verifier.challengeTypes().contains(type),
					() -> what + " names '" + name + "', which captcha.builtin.challenge-types does not allow");
			types.add(type.wireName());
		}
		return types;
	}

	private static void requireProvider(CaptchaVerificationService service, @Nullable String provider, String what) {
		Assert.state(provider == null || service.providerNames().contains(provider),
				() -> "CaptchaConfigurer " + what + " names provider '" + provider
						+ "', which is not configured under captcha.providers " + service.providerNames());
		Assert.state(provider != null || service.defaultProvider() != null,
				() -> "CaptchaConfigurer " + what + " needs a provider: no default provider is configured");
	}

	/**
	 * One protected route of the configurer. Setters return the route; {@link #and()}
	 * returns the configurer.
	 *
	 * @since 0.1.0
	 */
	public final class Route {

		private final List<String> patterns;

		private final List<String> methods = new ArrayList<>();

		private final List<String> providers = new ArrayList<>();

		private @Nullable String action;

		private @Nullable Double minScore;

		private boolean failOpen;

		private @Nullable Double escalateBelow;

		private @Nullable String escalateTo;

		private boolean serverChallenge;

		private final List<String> challengeTypes = new ArrayList<>();

		private final List<String> escalateChallengeTypes = new ArrayList<>();

		private Route(List<String> patterns) {
			this.patterns = List.copyOf(patterns);
		}

		/**
		 * Restrict the route to HTTP methods, named in any case. Default: every method;
		 * GET covers HEAD.
		 * @param methods the methods, each one of
		 * {@link PathPatternCaptchaRuleResolver#HTTP_METHODS}
		 * @return this route
		 * @throws IllegalArgumentException if a method is not an HTTP method (a typo such
		 * as {@code PSOT})
		 */
		public Route methods(String... methods) {
			for (String method : methods) {
				Assert.isTrue(PathPatternCaptchaRuleResolver.isHttpMethod(method),
						() -> "CaptchaConfigurer requireOn(" + this.patterns + ").methods: '" + method
								+ "' is not an HTTP method " + PathPatternCaptchaRuleResolver.HTTP_METHODS);
			}
			this.methods.addAll(Arrays.asList(methods));
			return this;
		}

		/**
		 * Set the action the token must carry. Default: not checked.
		 * @param action the action
		 * @return this route
		 */
		public Route action(String action) {
			Assert.hasText(action, "action cannot be empty");
			this.action = action;
			return this;
		}

		/**
		 * Set the providers that may verify the route's tokens. Default:
		 * {@code captcha.default-provider}.
		 * @param providers the provider names
		 * @return this route
		 */
		public Route provider(String... providers) {
			this.providers.addAll(Arrays.asList(providers));
			return this;
		}

		/**
		 * Set the minimum score. Default: the provider's.
		 * @param minScore the score, 0..1
		 * @return this route
		 */
		public Route minScore(double minScore) {
			Assert.isTrue(minScore >= 0 && minScore <= 1, "minScore must be between 0 and 1");
			this.minScore = minScore;
			return this;
		}

		/**
		 * Let requests through when the provider cannot be asked. Default: fail closed.
		 * @return this route
		 */
		public Route failOpen() {
			this.failOpen = true;
			return this;
		}

		/**
		 * Escalate to a stronger provider: tokens scoring below {@code escalateBelow},
		 * and clients past the step-up threshold, must solve its challenge. Default: no
		 * escalation.
		 * @param escalateBelow the score band's upper bound, or null for step-up only
		 * @param escalateTo the stronger provider
		 * @return this route
		 */
		public Route escalate(@Nullable Double escalateBelow, String escalateTo) {
			Assert.hasText(escalateTo, "escalateTo cannot be empty");
			this.escalateBelow = escalateBelow;
			this.escalateTo = escalateTo;
			return this;
		}

		/**
		 * Accept only tokens of these built-in challenge types ({@code image},
		 * {@code grid}, {@code math}, {@code pow}); others get
		 * {@code captcha_challenge_type_mismatch}. Default: every type the site keys
		 * allow. Needs a provider of type builtin.
		 * @param challengeTypes the types
		 * @return this route
		 */
		public Route challengeTypes(String... challengeTypes) {
			this.challengeTypes.addAll(Arrays.asList(challengeTypes));
			return this;
		}

		/**
		 * Set the built-in challenge types escalations ask for, preferred first; the
		 * retry must be of one of them. Default: the strongest type the site keys allow
		 * (grid). Needs a built-in escalation provider.
		 * @param escalateChallengeTypes the types
		 * @return this route
		 */
		public Route escalateChallengeTypes(String... escalateChallengeTypes) {
			this.escalateChallengeTypes.addAll(Arrays.asList(escalateChallengeTypes));
			return this;
		}

		/**
		 * Require a challenge the server issued for this client IP and the route's
		 * action. Default: off.
		 * @return this route
		 */
		public Route serverChallenge() {
			this.serverChallenge = true;
			return this;
		}

		/**
		 * Return to the configurer.
		 * @return the configurer
		 */
		public CaptchaConfigurer<H> and() {
			return CaptchaConfigurer.this;
		}

	}

}
