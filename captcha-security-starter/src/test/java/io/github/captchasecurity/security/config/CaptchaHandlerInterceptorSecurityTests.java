package io.github.captchasecurity.security.config;

import java.util.List;

import io.github.captchasecurity.security.config.CaptchaSecurityScenarios.CommonBeans;
import io.github.captchasecurity.security.config.CaptchaSecurityScenarios.CountingVerificationListener;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.filter.UrlHandlerFilter;

import static io.github.captchasecurity.security.config.CaptchaConfigurer.captcha;
import static io.github.captchasecurity.security.config.CaptchaSecurityScenarios.controllerCalls;
import static io.github.captchasecurity.security.config.CaptchaSecurityScenarios.passToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The Spring MVC interceptor behind a {@link CaptchaConfigurer}: filters run as in a
 * servlet container (the standalone CAPTCHA filter, the Spring Security filter chain with
 * the configurer's filter, then Spring's {@link UrlHandlerFilter} registered as a plain
 * bean), so {@code /api/annotated/} is rewritten after both CAPTCHA filters looked at it.
 */
class CaptchaHandlerInterceptorSecurityTests {

	private final WebApplicationContextRunner runner = CaptchaSecurityScenarios.runner()
		.withUserConfiguration(ConfigurerConfig.class)
		.withPropertyValues("captcha.routes[0].path=/api/both", "captcha.routes[0].action=routes");

	@Test
	void annotatedHandlerReachedThroughTrailingSlashWhenNoTokenThenRejectedAndControllerNeverRuns() {
		this.runner.run((context) -> {
			mockMvc(context).perform(post("/api/annotated/"))
				.andExpect(status().isBadRequest())
				.andExpect(content().contentTypeCompatibleWith("application/problem+json"))
				.andExpect(jsonPath("$.code").value("captcha_missing"));
			assertThat(controllerCalls(context)).isZero();
		});
	}

	@Test
	void annotatedHandlerReachedThroughTrailingSlashWhenValidTokenThenVerifiedOnce() {
		this.runner.run((context) -> {
			MockMvc mvc = mockMvc(context);
			String token = passToken(context, "annotated", "127.0.0.1");
			mvc.perform(post("/api/annotated/").header("X-Captcha-Token", token)).andExpect(status().isOk());
			assertThat(verifications(context)).hasSize(1);
			assertThat(controllerCalls(context)).isEqualTo(1);
			mvc.perform(post("/api/annotated/").header("X-Captcha-Token", token))
				.andExpect(status().isForbidden())
				.andExpect(jsonPath("$.code").value("captcha_replayed"));
			assertThat(controllerCalls(context)).isEqualTo(1);
		});
	}

	@Test
	void requestVerifiedByTheConfigurersFilterThenNotVerifiedAgainByTheInterceptor() {
		this.runner.run((context) -> {
			MockMvc mvc = mockMvc(context);
			mvc.perform(post("/api/annotated").header("X-Captcha-Token", passToken(context, "annotated", "127.0.0.1")))
				.andExpect(status().isOk());
			// the configurer's route wins over the properties route in its filter; the
			// interceptor keeps that
			mvc.perform(post("/api/both").header("X-Captcha-Token", passToken(context, "both", "127.0.0.1")))
				.andExpect(status().isOk());
			assertThat(verifications(context)).hasSize(2);
			assertThat(controllerCalls(context)).isEqualTo(2);
		});
	}

	private static MockMvc mockMvc(AssertableWebApplicationContext context) {
		assertThat(context).hasNotFailed();
		FilterRegistrationBean<?> standalone = context.getSourceApplicationContext()
			.getBean("captchaVerificationFilterRegistration", FilterRegistrationBean.class);
		return MockMvcBuilders.webAppContextSetup(context.getSourceApplicationContext())
			.addFilters(standalone.getFilter())
			.apply(springSecurity())
			.addFilters(UrlHandlerFilter.trailingSlashHandler("/**").wrapRequest().build())
			.build();
	}

	private static List<?> verifications(AssertableWebApplicationContext context) {
		return context.getBean(CountingVerificationListener.class).results;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	@Import(CommonBeans.class)
	static class ConfigurerConfig {

		@Bean
		SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
				.csrf((csrf) -> csrf.ignoringRequestMatchers("/api/**"))
				.formLogin(Customizer.withDefaults())
				.with(captcha(), (captcha) -> captcha.requireOn("/api/both").methods("POST").action("both"));
			return http.build();
		}

	}

}
