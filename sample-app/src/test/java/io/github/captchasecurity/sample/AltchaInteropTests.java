package io.github.captchasecurity.sample;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ALTCHA interop in both directions and both protocol versions, with altcha-lib from npm
 * (2.x for v2, 1.x for v1) run by node against the running sample ({@code
 * src/test/altcha/interop.mjs}): altcha-lib solves our challenges and the sample accepts
 * the payloads once (the same payload twice is {@code captcha_replayed}); our challenges
 * and their solutions pass altcha-lib's {@code verifySolution}; challenges minted by
 * altcha-lib's {@code createChallenge} with {@code captcha.builtin.altcha.hmac-key} and
 * the site key binding are accepted, without the binding, with another key or without an
 * expiry refused.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "captcha.builtin.altcha.hmac-key=" + AltchaInteropTests.HMAC_KEY,
				"captcha.abuse.step-up-after=0", "captcha.abuse.block-after=0" })
class AltchaInteropTests {

	static final String HMAC_KEY = "interop-test-hmac-key-of-32-chars-or-more";

	@LocalServerPort
	int port;

	@Test
	void altchaLibV1AndV2InteroperateBothWays() throws Exception {
		AltchaPackages.Result result = AltchaPackages.node("interop.mjs", "http://localhost:" + this.port, HMAC_KEY,
				"demo-site-key");

		assertThat(result.output()).as(result.output()).contains("all interop checks passed");
		assertThat(result.exitCode()).isZero();
		assertThat(result.output()).doesNotContain(HMAC_KEY);
	}

}
