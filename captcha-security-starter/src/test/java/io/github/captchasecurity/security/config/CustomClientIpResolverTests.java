package io.github.captchasecurity.security.config;

import java.util.List;

import io.github.captchasecurity.clientip.ClientIpResolver;
import io.github.captchasecurity.clientip.TrustedProxyClientIpResolver;
import io.github.captchasecurity.security.config.CaptchaSecurityScenarios.RecordingChallengeStore;
import io.github.captchasecurity.security.config.CaptchaSecurityScenarios.TicketConfig;
import io.github.captchasecurity.security.web.CaptchaLoginAttempts;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import static io.github.captchasecurity.security.config.CaptchaSecurityScenarios.body;
import static io.github.captchasecurity.security.config.CaptchaSecurityScenarios.from;
import static io.github.captchasecurity.security.config.CaptchaSecurityScenarios.passToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A user's {@link ClientIpResolver} bean (the README's {@code CF-Connecting-IP} example)
 * replaces the default and is used everywhere a client IP is needed: the configurer's
 * filter (ticket bindings and abuse counts), the standalone filter, the built-in generate
 * endpoint (per-client limit and binding) and the failed-login counts. A client that is
 * not a trusted proxy cannot choose its IP with the header.
 */
class CustomClientIpResolverTests {

	private static final String PROXY = "10.0.0.2";

	private static final String CLIENT = "198.51.100.7";

	private final WebApplicationContextRunner runner = CaptchaSecurityScenarios.runner()
		.withUserConfiguration(CloudflareClientIpConfig.class, TicketConfig.class)
		.withPropertyValues("captcha.abuse.step-up-after=0", "captcha.abuse.block-after=3",
				"captcha.builtin.limits.generate-per-client-per-hour=2", "captcha.routes[0].path=/api/contact",
				"captcha.routes[0].provider=local");

	@Test
	void userResolverBeanReplacesTheDefault() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(ClientIpResolver.class);
			assertThat(context).doesNotHaveBean(TrustedProxyClientIpResolver.class);
		});
	}

	@Test
	void protectedRouteWhenTrustedProxySendsHeaderThenTicketBoundToThatClient() {
		this.runner.run((context) -> {
			MockMvc mvc = mockMvc(context);
			transfer(mvc, PROXY, CLIENT, passToken(context, "transfer", CLIENT)).andExpect(status().isOk());
			transfer(mvc, PROXY, CLIENT, passToken(context, "transfer", PROXY)).andExpect(status().isForbidden());
		});
	}

	@Test
	void protectedRouteWhenUntrustedPeerSendsHeaderThenIgnored() {
		this.runner.run((context) -> {
			MockMvc mvc = mockMvc(context);
			transfer(mvc, "203.0.113.5", CLIENT, passToken(context, "transfer", CLIENT))
				.andExpect(status().isForbidden())
				.andExpect(jsonPath("$.code").value("captcha_invalid"));
			transfer(mvc, "203.0.113.5", CLIENT, passToken(context, "transfer", "203.0.113.5"))
				.andExpect(status().isOk());
		});
	}

	@Test
	void failuresThroughProtectedRouteThenCountedUnderTheResolvedClient() {
		this.runner.run((context) -> {
			MockMvc mvc = mockMvc(context);
			for (int i = 0; i < 3; i++) {
				transfer(mvc, PROXY, CLIENT, null).andExpect(status().isBadRequest());
			}
			transfer(mvc, "10.0.0.3", CLIENT, passToken(context, "transfer", CLIENT))
				.andExpect(status().isTooManyRequests());
			transfer(mvc, PROXY, "198.51.100.8", passToken(context, "transfer", "198.51.100.8"))
				.andExpect(status().isOk());
		});
	}

	@Test
	void standaloneFilterRouteThenUsesTheUserResolver() {
		this.runner.run((context) -> {
			MockMvc mvc = mockMvc(context);
			for (int i = 0; i < 3; i++) {
				mvc.perform(post("/api/contact").with(from(PROXY)).header("CF-Connecting-IP", CLIENT))
					.andExpect(status().isBadRequest());
			}
			mvc.perform(post("/api/contact").with(from("10.0.0.3"))
				.header("CF-Connecting-IP", CLIENT)
				.header("X-Captcha-Token", passToken(context, null, CLIENT))).andExpect(status().isTooManyRequests());
		});
	}

	@Test
	void builtinGenerateEndpointThenCountsAndBindsUnderTheResolvedClient() {
		this.runner.run((context) -> {
			MockMvc mvc = mockMvc(context);
			String first = body(generate(mvc, PROXY, CLIENT).andExpect(status().isOk()).andReturn()).get("captcha_id")
				.asString();
			assertThat(context.getBean(RecordingChallengeStore.class).issued(first).clientIp()).isEqualTo(CLIENT);
			generate(mvc, "10.0.0.3", CLIENT).andExpect(status().isOk());
			// the third request of the same client, through another proxy, is over its
			// limit of two
			MvcResult limited = generate(mvc, PROXY, CLIENT).andExpect(status().isTooManyRequests()).andReturn();
			assertThat(limited.getResponse().getContentAsString()).doesNotContain(CLIENT);
			// another client behind the same proxy is not
			generate(mvc, PROXY, "198.51.100.8").andExpect(status().isOk());
		});
	}

	@Test
	void failedLoginsThenCountedUnderTheResolvedClient() {
		this.runner.run((context) -> {
			MockMvc mvc = mockMvc(context);
			for (int i = 1; i <= 3; i++) {
				mvc.perform(post("/login").with(from(PROXY))
					.header("CF-Connecting-IP", CLIENT)
					.param("username", "user" + i)
					.param("password", "wrong")
					.contentType(MediaType.APPLICATION_FORM_URLENCODED)
					.with(csrf())).andExpect(redirectedUrl("/login?error"));
			}
			CaptchaLoginAttempts attempts = context.getBean(CaptchaLoginAttempts.class);
			assertThat(attempts.isCaptchaRequired(CLIENT, "bob")).isTrue();
			assertThat(attempts.isCaptchaRequired(PROXY, "bob")).isFalse();
		});
	}

	/**
	 * The configurer's chain behind the standalone filter and the built-in endpoints, as
	 * a container orders them.
	 */
	private static MockMvc mockMvc(AssertableWebApplicationContext context) {
		assertThat(context).hasNotFailed();
		WebApplicationContext web = context.getSourceApplicationContext();
		FilterRegistrationBean<?> endpoints = web.getBean("builtinCaptchaEndpointRegistration",
				FilterRegistrationBean.class);
		FilterRegistrationBean<?> standalone = web.getBean("captchaVerificationFilterRegistration",
				FilterRegistrationBean.class);
		return MockMvcBuilders.webAppContextSetup(web)
			.addFilters(endpoints.getFilter(), standalone.getFilter())
			.apply(springSecurity())
			.build();
	}

	private static ResultActions generate(MockMvc mvc, String peer, String connectingIp) throws Exception {
		return mvc.perform(post("/captcha/generate").with(from(peer))
			.header("CF-Connecting-IP", connectingIp)
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"site_key\":\"" + CaptchaSecurityScenarios.SITE_KEY + "\",\"type\":\"math\"}"));
	}

	private static ResultActions transfer(MockMvc mvc, String peer, String connectingIp, @Nullable String token)
			throws Exception {
		var request = post("/api/transfer").with(from(peer)).header("CF-Connecting-IP", connectingIp);
		if (token != null) {
			request.header("X-Captcha-Token", token);
		}
		return mvc.perform(request);
	}

	/** The README's example, as written there. */
	@Configuration(proxyBeanMethods = false)
	static class CloudflareClientIpConfig {

		@Bean
		ClientIpResolver cloudflareClientIpResolver() {
			// the proxies allowed to set CF-Connecting-IP (for Cloudflare: its published
			// ranges)
			TrustedProxyClientIpResolver proxies = new TrustedProxyClientIpResolver(List.of("10.0.0.0/8"));
			return (request) -> {
				if (proxies.isTrustedPeer(request)) {
					String client = TrustedProxyClientIpResolver.parseAddress(request.getHeader("CF-Connecting-IP"));
					if (client != null) {
						return client;
					}
				}
				return proxies.resolve(request);
			};
		}

	}

}
