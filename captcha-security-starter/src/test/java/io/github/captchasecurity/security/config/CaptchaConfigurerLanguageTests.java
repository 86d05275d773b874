package io.github.captchasecurity.security.config;

import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.security.config.CaptchaSecurityScenarios.CommonBeans;
import io.github.captchasecurity.security.web.CaptchaAuthenticationException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.WebAttributes;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static io.github.captchasecurity.security.config.CaptchaConfigurer.captcha;
import static io.github.captchasecurity.security.config.CaptchaSecurityScenarios.mockMvc;
import static io.github.captchasecurity.security.config.CaptchaSecurityScenarios.passToken;
import static io.github.captchasecurity.security.config.CaptchaSecurityScenarios.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The login form through the {@link CaptchaConfigurer}: the login error message in the
 * client's language, and the login action binding for tokens solved without an action.
 */
class CaptchaConfigurerLanguageTests {

	private final WebApplicationContextRunner runner = CaptchaSecurityScenarios.runner()
		.withUserConfiguration(FormLoginConfig.class)
		.withPropertyValues("captcha.login.failures-before-captcha=0");

	@Test
	void loginWhenNoTokenAndSpanishBrowserThenLoginErrorMessageInSpanish() {
		this.runner.run((context) -> {
			MvcResult result = mockMvc(context).perform(login().header("Accept-Language", "es-ES,es;q=0.9,en;q=0.5"))
				.andExpect(status().isFound())
				.andExpect(unauthenticated())
				.andReturn();
			CaptchaAuthenticationException exception = (CaptchaAuthenticationException) result.getRequest()
				.getSession()
				.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
			assertThat(exception.getOutcome()).isEqualTo(VerificationOutcome.MISSING);
			assertThat(exception.getMessage()).isEqualTo("No se envió ningún token CAPTCHA");
		});
	}

	@Test
	void loginWhenNoTokenAndNoLanguageThenLoginErrorMessageIsTheEnglishTitle() {
		this.runner.run((context) -> {
			MvcResult result = mockMvc(context).perform(login()).andReturn();
			CaptchaAuthenticationException exception = (CaptchaAuthenticationException) result.getRequest()
				.getSession()
				.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
			assertThat(exception.getMessage()).isEqualTo(VerificationOutcome.MISSING.title());
		});
	}

	@Test
	void loginWhenJsonClientAskingForGermanThenProblemInGermanWithContentLanguageAndSameCode() {
		this.runner.run((context) -> {
			MvcResult result = mockMvc(context)
				.perform(login().accept(MediaType.APPLICATION_JSON).header("Accept-Language", "de-DE"))
				.andExpect(status().isBadRequest())
				.andExpect(header().string("Content-Language", "de"))
				.andReturn();
			JsonNode problem = problem(result);
			assertThat(problem.get("code").stringValue()).isEqualTo("captcha_missing");
			assertThat(problem.get("type").stringValue()).isEqualTo("urn:captcha-security:error:captcha_missing");
			assertThat(problem.get("title").stringValue()).isEqualTo("Es wurde kein CAPTCHA-Token gesendet");
		});
	}

	@Test
	void loginWhenBuiltinTokenSolvedWithoutActionThenActionMismatchAndNotAuthenticated() {
		this.runner.run((context) -> {
			// solved on a harmless page, whose widget sets no action
			MvcResult result = mockMvc(context)
				.perform(login().param("captcha-token", passToken(context, null, "127.0.0.1")))
				.andExpect(unauthenticated())
				.andReturn();
			CaptchaAuthenticationException exception = (CaptchaAuthenticationException) result.getRequest()
				.getSession()
				.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
			assertThat(exception.getOutcome()).isEqualTo(VerificationOutcome.ACTION_MISMATCH);
			mockMvc(context).perform(login().param("captcha-token", passToken(context, "login", "127.0.0.1")))
				.andExpect(authenticated());
		});
	}

	private static MockHttpServletRequestBuilder login() {
		return post("/login").param("username", "alice")
			.param("password", "wonderland")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.with(csrf());
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	@Import(CommonBeans.class)
	static class FormLoginConfig {

		@Bean
		SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests(
					(requests) -> requests.requestMatchers("/login").permitAll().anyRequest().authenticated())
				.formLogin(Customizer.withDefaults())
				.with(captcha(), Customizer.withDefaults());
			return http.build();
		}

	}

}
