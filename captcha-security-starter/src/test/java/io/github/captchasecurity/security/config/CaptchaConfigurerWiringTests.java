package io.github.captchasecurity.security.config;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.captchasecurity.abuse.CaffeineFailureCounter;
import io.github.captchasecurity.abuse.FailureCounter;
import io.github.captchasecurity.abuse.FailureCounter.Acquisition;
import io.github.captchasecurity.security.config.CaptchaSecurityScenarios.CommonBeans;
import io.github.captchasecurity.security.web.CaptchaAuthenticationException;
import io.github.captchasecurity.security.web.CaptchaLoginAttempts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.WebAttributes;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import static io.github.captchasecurity.security.config.CaptchaConfigurer.captcha;
import static io.github.captchasecurity.security.config.CaptchaSecurityScenarios.from;
import static io.github.captchasecurity.security.config.CaptchaSecurityScenarios.mockMvc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * gh-9: the {@link CaptchaConfigurer} wired as a new user wires it: a misspelt method,
 * CAPTCHA switched off, a failure counter of their own, two filter chains, Spring
 * Security's default login page.
 */
@ExtendWith(OutputCaptureExtension.class)
class CaptchaConfigurerWiringTests {

	@Test
	void requireOnWhenMethodMisspeltThenStartupFailsInsteadOfLeavingTheRouteUnprotected() {
		CaptchaSecurityScenarios.runner()
			.withUserConfiguration(MisspeltMethodConfig.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("requireOn([/api/pay]).methods")
				.hasMessageContaining("'PSOT' is not an HTTP method"));
	}

	@Test
	void captchaDisabledThenConfigurerIsANoOpAndTheChainStarts(CapturedOutput output) {
		CaptchaSecurityScenarios.runner()
			.withUserConfiguration(DefaultLoginPageConfig.class)
			.withPropertyValues("captcha.enabled=false", "captcha.login.failures-before-captcha=0")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				MockMvc mvc = MockMvcBuilders.webAppContextSetup(context.getSourceApplicationContext())
					.apply(springSecurity())
					.build();
				// the route the configurer declares and the login form take no token
				mvc.perform(post("/api/pay")).andExpect(status().isOk());
				mvc.perform(login("username", "alice", "wonderland"))
					.andExpect(redirectedUrl("/"))
					.andExpect(authenticated().withUsername("alice"));
				assertThat(output).contains("captcha.enabled is false: CaptchaConfigurer adds no CAPTCHA verification");
			});
	}

	@Test
	void failedLoginsWhenUserDefinesFailureCounterThenCountedByIt() {
		CaptchaSecurityScenarios.runner()
			.withUserConfiguration(DefaultLoginPageConfig.class, UserFailureCounterConfig.class)
			.run((context) -> {
				MockMvc mvc = mockMvc(context);
				RecordingFailureCounter counter = context.getBean(RecordingFailureCounter.class);
				assertThat(context.getBean(FailureCounter.class)).isSameAs(counter);
				for (int i = 1; i <= 3; i++) {
					mvc.perform(login("username", "alice", "wrong").with(from("198.51.100." + i)))
						.andExpect(redirectedUrl("/login?error"));
				}
				assertThat(counter.incremented).contains("login-user:alice", "login-ip:198.51.100.1");
				assertThat(counter.count("login-user:alice")).isEqualTo(3);
				assertThat(context.getBean(CaptchaLoginAttempts.class).isCaptchaRequired("198.51.100.9", "alice"))
					.isTrue();
			});
	}

	@Test
	void twoChainsWhenEachHasItsOwnLoginFormThenEachKeepsItsOwnUsernameParameter() {
		CaptchaSecurityScenarios.runner().withUserConfiguration(TwoChainsConfig.class).run((context) -> {
			MockMvc mvc = mockMvc(context);
			for (int i = 1; i <= 3; i++) {
				mvc.perform(login("/shop/login", "email", "alice", "wrong").with(from("198.51.100." + i)))
					.andExpect(redirectedUrl("/shop/login?error"));
				mvc.perform(login("/admin/login", "user", "bob", "wrong").with(from("203.0.113." + i)))
					.andExpect(redirectedUrl("/admin/login?error"));
			}
			// from a fresh IP, each form finds its username over the threshold under its
			// own parameter
			mvc.perform(login("/shop/login", "email", "alice", "wonderland").with(from("192.0.2.1")))
				.andExpect(redirectedUrl("/shop/login?error&captcha"))
				.andExpect(unauthenticated());
			mvc.perform(login("/admin/login", "user", "bob", "builder").with(from("192.0.2.2")))
				.andExpect(redirectedUrl("/admin/login?error&captcha"))
				.andExpect(unauthenticated());
			// CAPTCHA failures (no authentication event) count under each form's own
			// parameter too
			String busy = "192.0.2.50";
			for (int i = 1; i <= 3; i++) {
				mvc.perform(login("/shop/login", "email", "dave", "wrong").with(from(busy)));
			}
			for (int i = 1; i <= 3; i++) {
				mvc.perform(login("/admin/login", "user", "carol", "any").with(from(busy)))
					.andExpect(redirectedUrl("/admin/login?error&captcha"));
			}
			assertThat(context.getBean(CaptchaLoginAttempts.class).isCaptchaRequired("192.0.2.99", "carol")).isTrue();
		});
	}

	@Test
	void defaultLoginPageWhenCaptchaRequiredThenRedirectLandsOnThePageWithTheReason(CapturedOutput output) {
		CaptchaSecurityScenarios.runner().withUserConfiguration(DefaultLoginPageConfig.class).run((context) -> {
			MockMvc mvc = mockMvc(context);
			for (int i = 1; i <= 3; i++) {
				mvc.perform(login("username", "alice", "wrong").with(from("198.51.100." + i)))
					.andExpect(redirectedUrl("/login?error"));
			}
			MvcResult refused = mvc.perform(login("username", "alice", "wonderland").with(from("198.51.100.9")))
				.andExpect(redirectedUrl("/login?error"))
				.andExpect(unauthenticated())
				.andExpect(request().sessionAttribute(WebAttributes.AUTHENTICATION_EXCEPTION,
						instanceOf(CaptchaAuthenticationException.class)))
				.andReturn();
			// the page the browser is sent to exists (it was a 404 at
			// /login?error&captcha); Spring Security 7's
			// default page shows its generic error whatever the exception
			MockHttpSession session = (MockHttpSession) refused.getRequest().getSession();
			mvc.perform(get("/login?error").session(session).with(from("198.51.100.9")))
				.andExpect(status().isOk())
				.andExpect(content().string(containsString("Please sign in")))
				.andExpect(content().string(containsString("Invalid credentials")));
			mvc.perform(get("/login?error&captcha").session(session).with(from("198.51.100.9")))
				.andExpect(status().isNotFound());
			assertThat(output).contains("uses Spring Security's default login page, which cannot render a CAPTCHA");
		});
	}

	private static MockHttpServletRequestBuilder login(String usernameParameter, String username, String password) {
		return login("/login", usernameParameter, username, password);
	}

	private static MockHttpServletRequestBuilder login(String url, String usernameParameter, String username,
			String password) {
		return post(url).param(usernameParameter, username)
			.param("password", password)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.with(csrf());
	}

	private static HttpSecurity apiDefaults(HttpSecurity http) throws Exception {
		return http.authorizeHttpRequests(
				(requests) -> requests.requestMatchers("/api/**", "/login").permitAll().anyRequest().authenticated())
			.csrf((csrf) -> csrf.ignoringRequestMatchers("/api/**"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	@Import(CommonBeans.class)
	static class MisspeltMethodConfig {

		@Bean
		SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
			apiDefaults(http).formLogin(Customizer.withDefaults())
				.with(captcha(), (captcha) -> captcha.requireOn("/api/pay").methods("PSOT"));
			return http.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	@Import(CommonBeans.class)
	static class DefaultLoginPageConfig {

		@Bean
		SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
			apiDefaults(http).formLogin(Customizer.withDefaults())
				.with(captcha(), (captcha) -> captcha.requireOn("/api/pay").methods("post"));
			return http.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserFailureCounterConfig {

		@Bean
		RecordingFailureCounter myFailureCounter() {
			return new RecordingFailureCounter();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	@Import(CommonBeans.class)
	static class TwoChainsConfig {

		@Bean
		@Order(1)
		SecurityFilterChain shopChain(HttpSecurity http) throws Exception {
			http.securityMatcher("/shop/**")
				.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.formLogin((login) -> login.loginPage("/shop/login").usernameParameter("email").permitAll())
				.with(captcha(), (captcha) -> captcha.loginProcessingUrl("/shop/login").usernameParameter("email"));
			return http.build();
		}

		@Bean
		@Order(2)
		SecurityFilterChain adminChain(HttpSecurity http) throws Exception {
			http.securityMatcher("/admin/**")
				.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.formLogin((login) -> login.loginPage("/admin/login").usernameParameter("user").permitAll())
				.with(captcha(), (captcha) -> captcha.loginProcessingUrl("/admin/login").usernameParameter("user"));
			return http.build();
		}

	}

	/** A failure counter of the application's own that remembers the keys it counted. */
	static final class RecordingFailureCounter implements FailureCounter {

		final List<String> incremented = new CopyOnWriteArrayList<>();

		private final FailureCounter delegate = new CaffeineFailureCounter(1_000, Clock.systemUTC());

		@Override
		public long increment(String key, Duration window) {
			this.incremented.add(key);
			return this.delegate.increment(key, window);
		}

		@Override
		public long count(String key) {
			return this.delegate.count(key);
		}

		@Override
		public Duration remaining(String key) {
			return this.delegate.remaining(key);
		}

		@Override
		public Acquisition tryAcquire(String key, long limit, Duration window) {
			return this.delegate.tryAcquire(key, limit, window);
		}

		@Override
		public void release(String key) {
			this.delegate.release(key);
		}

		@Override
		public void reset(String key) {
			this.delegate.reset(key);
		}

	}

}
