package io.github.captchasecurity.security.config;

import io.github.captchasecurity.security.config.CaptchaSecurityScenarios.CommonBeans;
import io.github.captchasecurity.security.config.CaptchaSecurityScenarios.WithoutAuthenticationEvents;
import io.github.captchasecurity.security.web.CaptchaLoginAttempts;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static io.github.captchasecurity.security.config.CaptchaConfigurer.captcha;
import static io.github.captchasecurity.security.config.CaptchaSecurityScenarios.from;
import static io.github.captchasecurity.security.config.CaptchaSecurityScenarios.mockMvc;
import static io.github.captchasecurity.security.config.CaptchaSecurityScenarios.passToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * "CAPTCHA after N failed logins" through the {@link CaptchaConfigurer}: failed logins
 * counted per username and per client IP from Spring Security's authentication events,
 * with the default threshold of 3.
 */
class CaptchaConfigurerLoginAttemptsTests {

	/**
	 * Where a login refused for its CAPTCHA is sent: these scenarios use Spring
	 * Security's default login page, which serves {@code /login?error} only (gh-9: it was
	 * {@code /login?error&captcha}, a 404); the right password ending there,
	 * unauthenticated, is the refusal.
	 */
	private static final String CAPTCHA_ERROR = "/login?error";

	private static final String LOGIN_ERROR = "/login?error";

	private final WebApplicationContextRunner runner = CaptchaSecurityScenarios.runner()
		.withUserConfiguration(FormLoginConfig.class);

	@Test
	void loginWhenFewerFailuresThanThresholdThenNoCaptcha() {
		this.runner.run((context) -> {
			MockMvc mvc = mockMvc(context);
			failLogin(mvc, "alice", "198.51.100.1");
			failLogin(mvc, "alice", "198.51.100.1");
			assertThat(attempts(context).isCaptchaRequired("198.51.100.1", "alice")).isFalse();
			mvc.perform(login("alice", "wonderland").with(from("198.51.100.1")))
				.andExpect(redirectedUrl("/"))
				.andExpect(authenticated().withUsername("alice"));
		});
	}

	@Test
	void loginWhenThresholdReachedForUsernameThenCaptchaRequiredEvenWithRightPassword() {
		this.runner.run((context) -> {
			MockMvc mvc = mockMvc(context);
			failLogin(mvc, "alice", "198.51.100.1");
			failLogin(mvc, "alice", "198.51.100.2");
			failLogin(mvc, "alice", "198.51.100.3");
			assertThat(attempts(context).isCaptchaRequired("198.51.100.4", "alice")).isTrue();
			mvc.perform(login("alice", "wonderland").with(from("198.51.100.4")))
				.andExpect(redirectedUrl(CAPTCHA_ERROR))
				.andExpect(unauthenticated());
			mvc.perform(login("alice", "wonderland").with(from("198.51.100.4")).accept(MediaType.APPLICATION_JSON))
				.andExpect(status().isBadRequest())
				.andExpect(jsonPath("$.code").value("captcha_missing"))
				.andExpect(unauthenticated());
			// other usernames from other IPs are not affected
			assertThat(attempts(context).isCaptchaRequired("198.51.100.5", "bob")).isFalse();
			mvc.perform(login("bob", "builder").with(from("198.51.100.5")))
				.andExpect(authenticated().withUsername("bob"));
			// and the IPs alice failed from stay below the threshold
			assertThat(attempts(context).isCaptchaRequired("198.51.100.1", "bob")).isFalse();
			mvc.perform(login("alice", "wonderland").with(from("198.51.100.4"))
				.param("captcha-token", passToken(context, "login", "198.51.100.4")))
				.andExpect(authenticated().withUsername("alice"));
		});
	}

	@Test
	void loginWhenFailuresForUsernameInAnotherCaseThenCountedTogether() {
		this.runner.run((context) -> {
			MockMvc mvc = mockMvc(context);
			failLogin(mvc, "Alice", "198.51.100.1");
			failLogin(mvc, "ALICE", "198.51.100.2");
			failLogin(mvc, " alice ", "198.51.100.3");
			assertThat(attempts(context).isCaptchaRequired("198.51.100.4", "alice")).isTrue();
			mvc.perform(login("alice", "wonderland").with(from("198.51.100.4")))
				.andExpect(redirectedUrl(CAPTCHA_ERROR));
		});
	}

	@Test
	void loginWhenThresholdReachedForIpThenCaptchaRequiredForAnyUsernameFromThatIp() {
		this.runner.run((context) -> {
			MockMvc mvc = mockMvc(context);
			String ip = "203.0.113.10";
			failLogin(mvc, "bob", ip);
			failLogin(mvc, "carol", ip);
			failLogin(mvc, "dave", ip);
			assertThat(attempts(context).isCaptchaRequired(ip, "zed")).isTrue();
			assertThat(attempts(context).isCaptchaRequired(ip, null)).isTrue();
			mvc.perform(login("alice", "wonderland").with(from(ip)))
				.andExpect(redirectedUrl(CAPTCHA_ERROR))
				.andExpect(unauthenticated());
			// another IP does not need one
			assertThat(attempts(context).isCaptchaRequired("203.0.113.11", "alice")).isFalse();
			mvc.perform(login("alice", "wonderland").with(from("203.0.113.11")))
				.andExpect(authenticated().withUsername("alice"));
		});
	}

	@Test
	void loginPageWhenThresholdReachedThenAttemptsTellItToShowTheWidget() {
		this.runner.run((context) -> {
			MockMvc mvc = mockMvc(context);
			String ip = "203.0.113.10";
			MockHttpServletRequest page = new MockHttpServletRequest("GET", "/login");
			page.setRemoteAddr(ip);
			assertThat(attempts(context).isCaptchaRequired(page)).isFalse();
			failLogin(mvc, "bob", ip);
			failLogin(mvc, "carol", ip);
			failLogin(mvc, "dave", ip);
			assertThat(attempts(context).isCaptchaRequired(page)).isTrue();
		});
	}

	@Test
	void loginWhenCaptchaFailsThenCountsAsFailedLogin() {
		this.runner.run((context) -> {
			MockMvc mvc = mockMvc(context);
			failLogin(mvc, "alice", "198.51.100.1");
			failLogin(mvc, "alice", "198.51.100.2");
			failLogin(mvc, "alice", "198.51.100.3");
			String ip = "198.51.100.30";
			for (int i = 0; i < 3; i++) {
				mvc.perform(login("alice", "wonderland").with(from(ip))).andExpect(redirectedUrl(CAPTCHA_ERROR));
			}
			// the three CAPTCHA failures alone put this IP over the threshold
			assertThat(attempts(context).isCaptchaRequired(ip, "bob")).isTrue();
			mvc.perform(login("bob", "builder").with(from(ip)))
				.andExpect(redirectedUrl(CAPTCHA_ERROR))
				.andExpect(unauthenticated());
		});
	}

	@Test
	void loginWhenSuccessfulThenUsernameCountClearedButIpCountStays() {
		this.runner.run((context) -> {
			MockMvc mvc = mockMvc(context);
			String ip = "203.0.113.40";
			failLogin(mvc, "alice", ip);
			failLogin(mvc, "alice", ip);
			failLogin(mvc, "alice", ip);
			assertThat(attempts(context).isCaptchaRequired("203.0.113.41", "alice")).isTrue();
			mvc.perform(
					login("alice", "wonderland").with(from(ip)).param("captcha-token", passToken(context, "login", ip)))
				.andExpect(authenticated().withUsername("alice"));
			// alice may log in from elsewhere without a CAPTCHA again
			assertThat(attempts(context).isCaptchaRequired("203.0.113.41", "alice")).isFalse();
			mvc.perform(login("alice", "wonderland").with(from("203.0.113.41")))
				.andExpect(authenticated().withUsername("alice"));
			// but the IP that failed still needs one, whoever logs in
			assertThat(attempts(context).isCaptchaRequired(ip, "bob")).isTrue();
			mvc.perform(login("bob", "builder").with(from(ip))).andExpect(redirectedUrl(CAPTCHA_ERROR));
			mvc.perform(login("alice", "wonderland").with(from(ip))).andExpect(redirectedUrl(CAPTCHA_ERROR));
		});
	}

	@Test
	void loginWhenThresholdConfiguredThenUsed() {
		this.runner.withPropertyValues("captcha.login.failures-before-captcha=1").run((context) -> {
			MockMvc mvc = mockMvc(context);
			failLogin(mvc, "alice", "198.51.100.1");
			mvc.perform(login("alice", "wonderland").with(from("198.51.100.2")))
				.andExpect(redirectedUrl(CAPTCHA_ERROR));
		});
	}

	@Test
	void loginWhenNoAuthenticationEventPublisherBeanThenFailedLoginsStillCounted() {
		CaptchaSecurityScenarios.runner().withUserConfiguration(NoEventPublisherConfig.class).run((context) -> {
			MockMvc mvc = mockMvc(context);
			failLogin(mvc, "alice", "198.51.100.1");
			failLogin(mvc, "alice", "198.51.100.2");
			assertThat(attempts(context).isCaptchaRequired("198.51.100.4", "alice")).isFalse();
			failLogin(mvc, "alice", "198.51.100.3");
			assertThat(attempts(context).isCaptchaRequired("198.51.100.4", "alice")).isTrue();
		});
	}

	private static void failLogin(MockMvc mvc, String username, String ip) throws Exception {
		mvc.perform(login(username, "wrong").with(from(ip)))
			.andExpect(redirectedUrl(LOGIN_ERROR))
			.andExpect(unauthenticated());
	}

	private static MockHttpServletRequestBuilder login(String username, String password) {
		return post("/login").param("username", username)
			.param("password", password)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.with(csrf());
	}

	private static CaptchaLoginAttempts attempts(AssertableWebApplicationContext context) {
		return context.getBean(CaptchaLoginAttempts.class);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	@Import(CommonBeans.class)
	static class FormLoginConfig {

		@Bean
		SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.formLogin(Customizer.withDefaults())
				.with(captcha(), Customizer.withDefaults());
			return http.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	@Import(WithoutAuthenticationEvents.class)
	static class NoEventPublisherConfig {

		@Bean
		SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.formLogin(Customizer.withDefaults())
				.with(captcha(), Customizer.withDefaults());
			return http.build();
		}

	}

}
