package io.github.captchasecurity.autoconfigure;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

import io.github.captchasecurity.CaptchaDecisionCustomizer;
import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.CaptchaVerifier;
import io.github.captchasecurity.EscalationChallengeFactory;
import io.github.captchasecurity.ProviderCallListener;
import io.github.captchasecurity.ProviderPolicy;
import io.github.captchasecurity.VerificationListener;
import io.github.captchasecurity.VerificationObserver;
import io.github.captchasecurity.abuse.CaffeineFailureCounter;
import io.github.captchasecurity.abuse.FailureCounter;
import io.github.captchasecurity.annotation.RequireCaptchaRuleResolver;
import io.github.captchasecurity.clientip.ClientIpResolver;
import io.github.captchasecurity.clientip.TrustedProxyClientIpResolver;
import io.github.captchasecurity.event.CaptchaEvent;
import io.github.captchasecurity.http.CaptchaHttpClient;
import io.github.captchasecurity.message.CaptchaMessages;
import io.github.captchasecurity.provider.builtin.BuiltinCaptchaService;
import io.github.captchasecurity.provider.builtin.BuiltinChallengeListener;
import io.github.captchasecurity.provider.builtin.CaffeineChallengeStore;
import io.github.captchasecurity.provider.builtin.CaffeineRateLimiter;
import io.github.captchasecurity.provider.builtin.ChallengeStore;
import io.github.captchasecurity.provider.builtin.RateLimiter;
import io.github.captchasecurity.replay.CaffeineReplayCache;
import io.github.captchasecurity.replay.ReplayCache;
import io.github.captchasecurity.security.web.CaptchaLoginAttempts;
import io.github.captchasecurity.servlet.CaptchaFailureHandler;
import io.github.captchasecurity.servlet.CaptchaLocaleResolver;
import io.github.captchasecurity.servlet.CaptchaRuleResolver;
import io.github.captchasecurity.servlet.CaptchaVerificationFilter;
import io.github.captchasecurity.servlet.ProblemDetailCaptchaFailureHandler;
import io.github.captchasecurity.token.CaptchaTokenResolver;
import io.github.captchasecurity.web.CaptchaFilterSwitch;
import io.github.captchasecurity.web.CaptchaHandlerInterceptor;
import io.github.captchasecurity.web.PathPatternCaptchaRuleResolver;
import io.github.captchasecurity.web.StandaloneCaptchaFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.util.ClassUtils;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Auto-configuration of captcha-security: the verification engine with the providers
 * under {@code captcha.providers} (the built-in provider when none is configured), the
 * replay cache, the provider HTTP client, the built-in provider's API under
 * {@code captcha.builtin.base-path} and, in servlet web applications, the
 * {@link CaptchaVerificationFilter} registered ahead of Spring Security's filter chain
 * for the routes under {@code captcha.routes} and the handlers annotated with
 * {@link io.github.captchasecurity.annotation.RequireCaptcha @RequireCaptcha}; with
 * Spring MVC, a {@link CaptchaHandlerInterceptor} checking again, just before each such
 * handler runs, that the request was verified for it (filters that run later may rewrite
 * the path), and a start-up WARN for method-restricted routes on handlers that accept
 * other methods. Every bean backs off when the application defines its own;
 * {@code captcha.enabled=false} turns everything off. Providers are built by the
 * {@link CaptchaProviderFactory} of their type; a {@link CaptchaVerifier} bean is a
 * provider named after the bean; {@link CaptchaVerificationServiceBuilderCustomizer}
 * beans customize the engine.
 *
 * @since 0.1.0
 */
@AutoConfiguration
@ConditionalOnCaptchaEnabled
@EnableConfigurationProperties(CaptchaProperties.class)
@Import({ CaptchaProviderConfiguration.class, CaptchaEndpointConfiguration.class, CaptchaMetricsConfiguration.class,
		CaptchaHealthConfiguration.class })
public final class CaptchaAutoConfiguration {

	/**
	 * Order of the filter registration: just before Spring Security's filter chain (order
	 * -100), after the request-wrapping filters (character encoding, hidden method) so it
	 * sees what handlers will see.
	 */
	static final int FILTER_ORDER = -101;

	@Bean
	CaptchaSettings captchaSettings(CaptchaProperties properties, ListableBeanFactory beanFactory) {
		return new CaptchaSettings(properties,
				beanFactory.getBeanNamesForType(CaptchaVerifier.class, true, false).length > 0);
	}

	@Bean
	@ConditionalOnMissingBean
	ReplayCache captchaReplayCache(CaptchaSettings settings) {
		return new CaffeineReplayCache(settings.replayMaxEntries());
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	CaptchaHttpClient captchaHttpClient(CaptchaSettings settings) {
		return CaptchaHttpClient.create(settings.httpClientSettings());
	}

	@Bean
	@ConditionalOnMissingBean
	ChallengeStore captchaChallengeStore(CaptchaSettings settings) {
		return new CaffeineChallengeStore(Math.max(1, settings.properties().getBuiltin().getMaxChallenges()));
	}

	@Bean
	@ConditionalOnMissingBean
	RateLimiter captchaRateLimiter() {
		return new CaffeineRateLimiter(100_000, Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	BuiltinCaptchaService builtinCaptchaService(CaptchaSettings settings, ChallengeStore challengeStore,
			RateLimiter rateLimiter, ReplayCache replayCache, ObjectProvider<BuiltinChallengeListener> listeners) {
		BuiltinCaptchaService service = new BuiltinCaptchaService(settings.builtinSettings(), challengeStore,
				rateLimiter, replayCache, Clock.systemUTC());
		listeners.orderedStream().forEach(service::addListener);
		return service;
	}

	@Bean
	@ConditionalOnMissingBean
	FailureCounter captchaFailureCounter() {
		return new CaffeineFailureCounter(1_000_000, Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	CaptchaVerificationService captchaVerificationService(CaptchaSettings settings, CaptchaProviderRegistry providers,
			ReplayCache replayCache, ObjectProvider<BuiltinCaptchaService> builtin, FailureCounter failureCounter,
			ObjectProvider<EscalationChallengeFactory> escalationChallenges,
			ObjectProvider<CaptchaDecisionCustomizer> decisionCustomizers,
			ObjectProvider<VerificationListener> listeners, ObjectProvider<VerificationObserver> observers,
			ObjectProvider<ProviderCallListener> providerCallListeners,
			ObjectProvider<CaptchaVerificationServiceBuilderCustomizer> customizers, ApplicationEventPublisher events,
			Environment environment) {
		CaptchaStartupChecks checks = new CaptchaStartupChecks(settings.properties(), environment);
		checks.checkSigningKey();
		checks.checkForwardedHeaders();
		CaptchaVerificationService.Builder builder = CaptchaVerificationService.builder()
			.replayCache(replayCache)
			.clock(Clock.systemUTC())
			.maxConcurrentVerifications(settings.maxConcurrentVerifications())
			.maxWaitForVerification(settings.verificationWait())
			.abuseControl(settings.abuseSettings(), failureCounter)
			.storeFailOpen(settings.storeFailOpen())
			.escalationChallenges(escalationChallenges.getIfAvailable(
					() -> new PropertiesEscalationChallengeFactory(settings, providers, builtin::getObject)));
		providers.policies().forEach(builder::provider);
		if (providers.defaultProvider() != null) {
			builder.defaultProvider(providers.defaultProvider());
		}
		decisionCustomizers.orderedStream().forEach(builder::decisionCustomizer);
		// the metrics listener is one of these beans: customizers can add listeners but
		// not remove them
		listeners.orderedStream().forEach(builder::listener);
		observers.orderedStream().forEach(builder::observer);
		providerCallListeners.orderedStream().forEach(builder::providerCallListener);
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		builder.listener((rule, result, context) -> events.publishEvent(CaptchaEvent.of(result, rule, context)));
		CaptchaVerificationService service = builder.build();
		checks.checkTestKeys(service);
		return service;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnClass(Filter.class)
	static class ServletConfiguration {

		/** Spring MVC's locale resolver, optional. */
		private static final String SPRING_LOCALE_RESOLVER = "org.springframework.web.servlet.LocaleResolver";

		@Bean
		@ConditionalOnMissingBean
		CaptchaTokenResolver captchaTokenResolver(CaptchaSettings settings,
				ObjectProvider<CaptchaProviderRegistry> providers, CaptchaVerificationService verificationService) {
			CaptchaProviderRegistry registry = providers.getIfAvailable();
			List<ProviderPolicy> policies = (registry != null) ? registry.policies()
					: verificationService.providerNames().stream().map(verificationService::provider).toList();
			return settings.tokenResolver(policies.stream()
				.map(ProviderPolicy::formField)
				.filter(Objects::nonNull)
				.map(String::trim)
				.toList());
		}

		@Bean
		@ConditionalOnMissingBean
		CaptchaMessages captchaMessages(ApplicationContext context) {
			return new MessageSourceCaptchaMessages(context);
		}

		@Bean
		@ConditionalOnMissingBean
		CaptchaLocaleResolver captchaLocaleResolver(ApplicationContext context) {
			return ClassUtils.isPresent(SPRING_LOCALE_RESOLVER, context.getClassLoader())
					? SpringCaptchaLocaleResolver.of(context) : CaptchaLocaleResolver.acceptLanguage();
		}

		@Bean
		@ConditionalOnMissingBean
		CaptchaFailureHandler captchaFailureHandler(CaptchaMessages captchaMessages,
				CaptchaLocaleResolver captchaLocaleResolver) {
			return new ProblemDetailCaptchaFailureHandler(captchaMessages, captchaLocaleResolver);
		}

		@Bean
		@ConditionalOnMissingBean
		PathPatternCaptchaRuleResolver captchaRouteRuleResolver(CaptchaSettings settings,
				CaptchaVerificationService verificationService, ObjectProvider<CaptchaProviderRegistry> providers,
				ObjectProvider<CaptchaProviderFactory> factories) {
			return new CaptchaRoutesMapper(settings, verificationService, CaptchaProviderRegistry
				.capabilities(providers.getIfAvailable(), verificationService, factories.orderedStream().toList()))
				.routeResolver();
		}

		@Bean
		@ConditionalOnMissingBean(ClientIpResolver.class)
		TrustedProxyClientIpResolver captchaClientIpResolver(CaptchaSettings settings) {
			return settings.clientIpResolver();
		}

		@Bean
		@ConditionalOnMissingBean
		CaptchaFilterSwitch captchaFilterSwitch() {
			return new CaptchaFilterSwitch();
		}

		@Bean
		@ConditionalOnMissingBean(name = "captchaVerificationFilterRegistration")
		FilterRegistrationBean<StandaloneCaptchaFilter> captchaVerificationFilterRegistration(
				ObjectProvider<CaptchaRuleResolver> ruleResolvers, CaptchaTokenResolver tokenResolver,
				CaptchaVerificationService verificationService, CaptchaFailureHandler failureHandler,
				ClientIpResolver clientIpResolver, CaptchaFilterSwitch filterSwitch, CaptchaSettings settings) {
			List<CaptchaRuleResolver> resolvers = ruleResolvers.orderedStream().toList();
			CaptchaVerificationFilter filter = new CaptchaVerificationFilter(
					CaptchaRuleResolver.firstOf(resolvers.toArray(CaptchaRuleResolver[]::new)), tokenResolver,
					verificationService);
			filter.setFailureHandler(failureHandler);
			filter.setClientIpResolver(clientIpResolver);
			filter.setBusyAnswerDelay(settings.busyAnswerDelay());
			FilterRegistrationBean<StandaloneCaptchaFilter> registration = new FilterRegistrationBean<>(
					new StandaloneCaptchaFilter(filter, filterSwitch));
			registration.setName("captchaVerificationFilter");
			registration.setOrder(FILTER_ORDER);
			registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.FORWARD, DispatcherType.INCLUDE);
			registration.addUrlPatterns("/*");
			return registration;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnClass({ Filter.class, AbstractAuthenticationFailureEvent.class })
	static class SecurityConfiguration {

		@Bean
		@ConditionalOnMissingBean
		CaptchaLoginAttempts captchaLoginAttempts(CaptchaSettings settings, ClientIpResolver clientIpResolver,
				FailureCounter failureCounter) {
			CaptchaProperties.Login login = settings.properties().getLogin();
			// on the shared failure counter, so that with captcha.store.type=redis every
			// instance counts them
			return new CaptchaLoginAttempts(failureCounter, login.getFailuresBeforeCaptcha(), login.getWindow(),
					clientIpResolver);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnClass({ Filter.class, RequestMappingHandlerMapping.class })
	static class AnnotationConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RequireCaptchaRuleResolver requireCaptchaRuleResolver(
				ObjectProvider<RequestMappingHandlerMapping> handlerMappings,
				CaptchaVerificationService verificationService) {
			RequireCaptchaRuleResolver resolver = new RequireCaptchaRuleResolver(
					handlerMappings.orderedStream().toList(), verificationService.providerNames(),
					verificationService.defaultProvider() != null);
			resolver.setVerificationService(verificationService);
			return resolver;
		}

		@Bean
		@ConditionalOnMissingBean
		RouteMethodCoverageCheck captchaRouteMethodCoverageCheck(CaptchaProperties properties,
				ObjectProvider<RequestMappingHandlerMapping> handlerMappings,
				ObjectProvider<RequireCaptchaRuleResolver> annotations) {
			return new RouteMethodCoverageCheck(properties, handlerMappings, annotations);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnClass({ Filter.class, WebMvcConfigurer.class })
	static class HandlerInterceptorConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "captchaWebMvcConfigurer")
		WebMvcConfigurer captchaWebMvcConfigurer(ObjectProvider<CaptchaRuleResolver> ruleResolvers,
				ObjectProvider<CaptchaTokenResolver> tokenResolver,
				ObjectProvider<CaptchaVerificationService> verificationService,
				ObjectProvider<CaptchaFailureHandler> failureHandler,
				ObjectProvider<ClientIpResolver> clientIpResolver) {
			return new CaptchaWebMvcConfigurer(() -> {
				CaptchaVerificationFilter verifier = new CaptchaVerificationFilter((request) -> null,
						tokenResolver.getObject(), verificationService.getObject());
				verifier.setFailureHandler(failureHandler.getObject());
				verifier.setClientIpResolver(clientIpResolver.getObject());
				return new CaptchaHandlerInterceptor(ruleResolvers.orderedStream().toList(), verifier);
			});
		}

	}

}
