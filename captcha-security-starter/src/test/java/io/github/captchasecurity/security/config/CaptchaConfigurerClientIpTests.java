package io.github.captchasecurity.security.config;

import io.github.captchasecurity.security.config.CaptchaSecurityScenarios.TicketConfig;
import io.github.captchasecurity.security.web.CaptchaLoginAttempts;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import static io.github.captchasecurity.security.config.CaptchaSecurityScenarios.controllerCalls;
import static io.github.captchasecurity.security.config.CaptchaSecurityScenarios.from;
import static io.github.captchasecurity.security.config.CaptchaSecurityScenarios.mockMvc;
import static io.github.captchasecurity.security.config.CaptchaSecurityScenarios.passToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * X-Forwarded-For spoofing attempts against a route that requires a server-issued ticket
 * bound to the client IP, with {@code captcha.client-ip.trusted-proxies=10.0.0.0/8}: the
 * socket peer is the client unless it is a trusted proxy, and then the right-most
 * untrusted address is. Failure counts are keyed on that resolved address too.
 */
class CaptchaConfigurerClientIpTests {

	private static final String CLIENT = "198.51.100.7";

	private final WebApplicationContextRunner runner = CaptchaSecurityScenarios.runner()
		.withUserConfiguration(TicketConfig.class)
		.withPropertyValues("captcha.client-ip.trusted-proxies=10.0.0.0/8,2001:db8:ffff::/48",
				"captcha.abuse.step-up-after=0", "captcha.abuse.block-after=3");

	@Test
	void ticketWhenUntrustedPeerClaimsToForwardTheClientThenRejected() {
		this.runner.run((context) -> {
			transfer(mockMvc(context), "203.0.113.5", CLIENT, passToken(context, "transfer", CLIENT))
				.andExpect(status().isForbidden())
				.andExpect(jsonPath("$.code").value("captcha_invalid"));
			assertThat(controllerCalls(context)).isZero();
		});
	}

	@Test
	void ticketWhenUntrustedPeerSendsForwardedForThenPeerIsTheClient() {
		this.runner.run((context) -> transfer(mockMvc(context), "203.0.113.5", CLIENT,
				passToken(context, "transfer", "203.0.113.5"))
			.andExpect(status().isOk()));
	}

	@Test
	void ticketWhenTrustedProxyForwardsThenRightMostUntrustedAddressIsTheClient() {
		this.runner.run((context) -> transfer(mockMvc(context), "10.0.0.2", "6.6.6.6, " + CLIENT,
				passToken(context, "transfer", CLIENT))
			.andExpect(status().isOk()));
	}

	@Test
	void ticketWhenClientPrependsAnAddressThenLeftMostNotTakenBlindly() {
		this.runner.run((context) -> {
			MockMvc mvc = mockMvc(context);
			transfer(mvc, "10.0.0.2", CLIENT + ", 6.6.6.6", passToken(context, "transfer", CLIENT))
				.andExpect(status().isForbidden())
				.andExpect(jsonPath("$.code").value("captcha_invalid"));
			// the right-most untrusted entry is who the proxy saw
			transfer(mvc, "10.0.0.2", CLIENT + ", 6.6.6.6", passToken(context, "transfer", "6.6.6.6"))
				.andExpect(status().isOk());
		});
	}

	@Test
	void ticketWhenSeveralTrustedProxiesThenTheyAreSkipped() {
		this.runner.run((context) -> transfer(mockMvc(context), "10.0.0.2", "6.6.6.6, " + CLIENT + ", 10.1.2.3",
				passToken(context, "transfer", CLIENT))
			.andExpect(status().isOk()));
	}

	@Test
	void ticketWhenTrustedProxyUsesForwardedHeaderThenItsForIsTheClient() {
		this.runner.run(
				(context) -> mockMvc(context)
					.perform(post("/api/transfer").with(from("10.0.0.2"))
						.header("Forwarded", "for=6.6.6.6, for=" + CLIENT + ";proto=https")
						.header("X-Captcha-Token", passToken(context, "transfer", CLIENT)))
					.andExpect(status().isOk()));
	}

	@Test
	void ticketWhenTrustedIpv6ProxyForwardsThenClientResolved() {
		this.runner.run((context) -> {
			MockMvc mvc = mockMvc(context);
			transfer(mvc, "2001:db8:ffff::1", CLIENT, passToken(context, "transfer", CLIENT))
				.andExpect(status().isOk());
			transfer(mvc, "2001:db8:fffe::1", CLIENT, passToken(context, "transfer", CLIENT))
				.andExpect(status().isForbidden());
		});
	}

	@Test
	void failuresWhenUntrustedPeerRotatesForwardedForThenStillBlocked() {
		this.runner.run((context) -> {
			MockMvc mvc = mockMvc(context);
			String peer = "203.0.113.5";
			for (int i = 1; i <= 3; i++) {
				transfer(mvc, peer, "192.0.2." + i, null).andExpect(status().isBadRequest());
			}
			transfer(mvc, peer, "192.0.2.99", passToken(context, "transfer", peer))
				.andExpect(status().isTooManyRequests())
				.andExpect(header().exists("Retry-After"))
				.andExpect(jsonPath("$.code").value("captcha_rate_limited"));
			transfer(mvc, peer, null, passToken(context, "transfer", peer)).andExpect(status().isTooManyRequests());
			// another peer is not affected
			transfer(mvc, "203.0.113.6", "192.0.2.1", passToken(context, "transfer", "203.0.113.6"))
				.andExpect(status().isOk());
		});
	}

	@Test
	void failuresBehindTrustedProxiesThenKeyedOnTheForwardedClient() {
		this.runner.run((context) -> {
			MockMvc mvc = mockMvc(context);
			for (int i = 0; i < 3; i++) {
				transfer(mvc, "10.0.0.2", CLIENT, null).andExpect(status().isBadRequest());
			}
			// the same client through another proxy is blocked
			transfer(mvc, "10.0.0.3", CLIENT, passToken(context, "transfer", CLIENT))
				.andExpect(status().isTooManyRequests());
			// another client behind the same proxy is not
			transfer(mvc, "10.0.0.2", "198.51.100.8", passToken(context, "transfer", "198.51.100.8"))
				.andExpect(status().isOk());
		});
	}

	@Test
	void failedLoginsWhenUntrustedPeerRotatesForwardedForThenCountedOnThePeer() {
		this.runner.run((context) -> {
			MockMvc mvc = mockMvc(context);
			String peer = "203.0.113.5";
			for (int i = 1; i <= 3; i++) {
				mvc.perform(post("/login").with(from(peer))
					.header("X-Forwarded-For", "192.0.2." + i)
					.param("username", "user" + i)
					.param("password", "wrong")
					.contentType(MediaType.APPLICATION_FORM_URLENCODED)
					.with(csrf())).andExpect(redirectedUrl("/login?error"));
			}
			assertThat(attempts(context).isCaptchaRequired(peer, "bob")).isTrue();
			assertThat(attempts(context).isCaptchaRequired("192.0.2.1", "bob")).isFalse();
			mvc.perform(post("/login").with(from(peer))
				.header("X-Forwarded-For", "192.0.2.50")
				.param("username", "bob")
				.param("password", "builder")
				.contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.with(csrf())).andExpect(redirectedUrl("/login?error"));
		});
	}

	@Test
	void failedLoginsBehindTrustedProxyThenCountedOnTheForwardedClient() {
		this.runner.run((context) -> {
			MockMvc mvc = mockMvc(context);
			for (int i = 1; i <= 3; i++) {
				mvc.perform(post("/login").with(from("10.0.0.2"))
					.header("X-Forwarded-For", CLIENT)
					.param("username", "user" + i)
					.param("password", "wrong")
					.contentType(MediaType.APPLICATION_FORM_URLENCODED)
					.with(csrf())).andExpect(redirectedUrl("/login?error"));
			}
			assertThat(attempts(context).isCaptchaRequired(CLIENT, "bob")).isTrue();
			assertThat(attempts(context).isCaptchaRequired("10.0.0.2", "bob")).isFalse();
		});
	}

	private static ResultActions transfer(MockMvc mvc, String peer, @Nullable String forwardedFor,
			@Nullable String token) throws Exception {
		var request = post("/api/transfer").with(from(peer));
		if (forwardedFor != null) {
			request.header("X-Forwarded-For", forwardedFor);
		}
		if (token != null) {
			request.header("X-Captcha-Token", token);
		}
		return mvc.perform(request);
	}

	private static CaptchaLoginAttempts attempts(AssertableWebApplicationContext context) {
		return context.getBean(CaptchaLoginAttempts.class);
	}

}
