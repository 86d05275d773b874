package io.github.captchasecurity.autoconfigure;

import java.util.Map;

import io.github.captchasecurity.clientip.ClientIpResolver;
import io.github.captchasecurity.http.CaptchaHttpClient;
import io.github.captchasecurity.message.CaptchaMessages;
import io.github.captchasecurity.provider.builtin.BuiltinCaptchaService;
import io.github.captchasecurity.provider.builtin.web.BuiltinCaptchaEndpointFilter;
import io.github.captchasecurity.provider.captchala.CaptchalaChallengeClient;
import io.github.captchasecurity.provider.captchala.web.CaptchalaChallengeEndpointFilter;
import io.github.captchasecurity.servlet.CaptchaLocaleResolver;
import io.github.captchasecurity.servlet.RequestPaths;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The HTTP endpoints of the providers that have some: the built-in provider's API and
 * widget under {@code captcha.builtin.base-path} (on when a provider of type builtin
 * exists) and the CaptchaLa server-challenge endpoint under {@code {base-path}/captchala}
 * (on when a captchala provider has its keys).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass(Filter.class)
class CaptchaEndpointConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "builtinCaptchaEndpointRegistration")
	FilterRegistrationBean<BuiltinCaptchaEndpointFilter> builtinCaptchaEndpointRegistration(CaptchaSettings settings,
			BuiltinCaptchaService builtinCaptchaService, ClientIpResolver clientIpResolver,
			CaptchaMessages captchaMessages, CaptchaLocaleResolver captchaLocaleResolver) {
		BuiltinCaptchaEndpointFilter filter = new BuiltinCaptchaEndpointFilter(builtinCaptchaService,
				settings.builtinBasePath());
		filter.setClientIpResolver(clientIpResolver);
		filter.setMessages(captchaMessages);
		filter.setLocaleResolver(captchaLocaleResolver);
		filter.setAllowedOrigins(settings.builtinAllowedOrigins());
		FilterRegistrationBean<BuiltinCaptchaEndpointFilter> registration = new FilterRegistrationBean<>(filter);
		registration.setName("builtinCaptchaEndpointFilter");
		registration.setOrder(CaptchaAutoConfiguration.FILTER_ORDER - 1);
		registration.setDispatcherTypes(DispatcherType.REQUEST);
		registration.addUrlPatterns(filter.getBasePath() + "/*");
		registration.setEnabled(settings.usesBuiltin());
		return registration;
	}

	@Bean
	@ConditionalOnMissingBean(name = "captchalaChallengeEndpointRegistration")
	FilterRegistrationBean<CaptchalaChallengeEndpointFilter> captchalaChallengeEndpointRegistration(
			CaptchaSettings settings, CaptchaHttpClient http, ClientIpResolver clientIpResolver) {
		Map<String, CaptchalaChallengeClient> clients = CaptchalaProviderFactory.challengeClients(settings.providers(),
				http);
		String basePath = settings.builtinBasePath();
		CaptchalaChallengeEndpointFilter filter = new CaptchalaChallengeEndpointFilter(clients, basePath);
		filter.setClientIpResolver(clientIpResolver);
		FilterRegistrationBean<CaptchalaChallengeEndpointFilter> registration = new FilterRegistrationBean<>(filter);
		registration.setName("captchalaChallengeEndpointFilter");
		registration.setOrder(CaptchaAutoConfiguration.FILTER_ORDER - 1);
		registration.setDispatcherTypes(DispatcherType.REQUEST);
		registration.addUrlPatterns(RequestPaths.normalize(basePath) + "/captchala/*");
		registration.setEnabled(!clients.isEmpty());
		return registration;
	}

}
