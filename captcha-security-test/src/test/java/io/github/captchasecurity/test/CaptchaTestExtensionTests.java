package io.github.captchasecurity.test;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.servlet.CaptchaVerificationFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CaptchaTestExtension} for users of core's filter without Spring.
 */
class CaptchaTestExtensionTests {

	@RegisterExtension
	static CaptchaTestExtension captcha = CaptchaTestExtension.withProviders("google", "local");

	@Test
	void readyFilterLetsAPassingTokenThroughAndRefusesTheRest(CaptchaVerificationFilter filter) throws Exception {
		assertThat(status(filter, CaptchaTestTokens.fresh())).isEqualTo(200);
		assertThat(status(filter, CaptchaTestTokens.fresh("fail"))).isEqualTo(403);
		assertThat(status(filter, CaptchaTestTokens.fresh("unavailable"))).isEqualTo(503);
		assertThat(status(filter, null)).isEqualTo(400);
	}

	@Test
	void filterOfOwnRulesChecksActionAndScore() throws Exception {
		CaptchaVerificationFilter filter = captcha.filter((request) -> new CaptchaRule("local", "contact", 0.5));
		assertThat(status(filter, CaptchaTestTokens.fresh("pass:contact:0.8"))).isEqualTo(200);
		assertThat(status(filter, CaptchaTestTokens.fresh("pass:contact:0.2"))).isEqualTo(403);
		assertThat(status(filter, CaptchaTestTokens.fresh("pass:login"))).isEqualTo(403);
	}

	@Test
	void eachTestHasItsOwnReplayCache() throws Exception {
		// the same literal token in two tests (this one and the next) passes once in each
		assertThat(status(captcha.filter(), "pass#shared")).isEqualTo(200);
		assertThat(status(captcha.filter(), "pass#shared")).isEqualTo(403);
	}

	@Test
	void eachTestHasItsOwnReplayCacheToo() throws Exception {
		assertThat(status(captcha.filter(), "pass#shared")).isEqualTo(200);
		assertThat(captcha.verificationService().providerNames()).containsExactlyInAnyOrder("google", "local");
	}

	private static int status(CaptchaVerificationFilter filter, String token) throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/contact");
		if (token != null) {
			request.addHeader("X-Captcha-Token", token);
		}
		MockHttpServletResponse response = new MockHttpServletResponse();
		filter.doFilter(request, response, new MockFilterChain());
		return response.getStatus();
	}

}
