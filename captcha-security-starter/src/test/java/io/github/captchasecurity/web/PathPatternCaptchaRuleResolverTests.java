package io.github.captchasecurity.web;

import java.util.List;

import io.github.captchasecurity.CaptchaRule;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PathPatternCaptchaRuleResolverTests {

	private static final CaptchaRule CONTACT = new CaptchaRule(null, "contact", null);

	private static final CaptchaRule ORDERS = new CaptchaRule(null, "pay", 0.8);

	private final PathPatternCaptchaRuleResolver resolver = PathPatternCaptchaRuleResolver.builder()
		.route("/api/contact/", List.of("post"), CONTACT)
		.route("/api/orders/{id}/pay", List.of("POST", "PUT"), ORDERS)
		.route("/reports/**", List.of("GET"), CaptchaRule.defaults())
		.build();

	@Test
	void resolveWhenPathAndMethodMatchThenRule() {
		assertThat(this.resolver.resolve(request("POST", "/api/contact"))).isEqualTo(CONTACT);
		assertThat(this.resolver.resolve(request("PUT", "/api/orders/42/pay"))).isEqualTo(ORDERS);
		assertThat(this.resolver.resolve(request("GET", "/reports/2026/q4"))).isEqualTo(CaptchaRule.defaults());
	}

	@Test
	void resolveWhenMethodDiffersThenNull() {
		assertThat(this.resolver.resolve(request("GET", "/api/contact"))).isNull();
		assertThat(this.resolver.resolve(request("DELETE", "/api/orders/42/pay"))).isNull();
	}

	@Test
	void mayProtectWhenNoRouteNamesTheMethodThenFalse() {
		assertThat(this.resolver.mayProtect("POST")).isTrue();
		assertThat(this.resolver.mayProtect("put")).isTrue();
		assertThat(this.resolver.mayProtect("HEAD")).isTrue();
		assertThat(this.resolver.mayProtect("DELETE")).isFalse();
		assertThat(this.resolver.mayProtect("PATCH")).isFalse();
		assertThat(PathPatternCaptchaRuleResolver.builder().build().mayProtect("POST")).isFalse();
		assertThat(
				PathPatternCaptchaRuleResolver.builder().route("/x", List.of(), CONTACT).build().mayProtect("DELETE"))
			.isTrue();
	}

	@Test
	void resolveWhenHeadOnGetRouteThenRule() {
		assertThat(this.resolver.resolve(request("HEAD", "/reports/x"))).isEqualTo(CaptchaRule.defaults());
	}

	@Test
	void resolveWhenLowerCaseMethodThenStillMatched() {
		assertThat(this.resolver.resolve(request("post", "/api/contact"))).isEqualTo(CONTACT);
	}

	@Test
	void resolveWhenPathSpelledDifferentlyThenStillMatched() {
		for (String path : List.of("/api/contact/", "//api//contact", "/api/contact;jsessionid=x", "/api;v=1/contact",
				"/api/%63ontact", "/API/CONTACT", "/api/./contact", "/api/foo/../contact", "/api%2Fcontact",
				"/api/%2563ontact")) {
			assertThat(this.resolver.resolve(request("POST", path))).as(path).isEqualTo(CONTACT);
		}
	}

	@Test
	void resolveWhenContextPathThenMatchedWithinApplication() {
		MockHttpServletRequest request = request("POST", "/shop/api/contact");
		request.setContextPath("/shop");
		assertThat(this.resolver.resolve(request)).isEqualTo(CONTACT);
	}

	@Test
	void resolveWhenOtherPathThenNull() {
		assertThat(this.resolver.resolve(request("POST", "/api/contacts"))).isNull();
		assertThat(this.resolver.resolve(request("POST", "/api"))).isNull();
	}

	@Test
	void resolveWhenFirstMatchingRouteThenItWins() {
		PathPatternCaptchaRuleResolver ordered = PathPatternCaptchaRuleResolver.builder()
			.route("/api/contact", List.of(), CONTACT)
			.route("/api/**", List.of(), ORDERS)
			.build();
		assertThat(ordered.resolve(request("PATCH", "/api/contact"))).isEqualTo(CONTACT);
		assertThat(ordered.resolve(request("PATCH", "/api/other"))).isEqualTo(ORDERS);
	}

	@Test
	void routeWhenPatternInvalidThenIllegalArgument() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PathPatternCaptchaRuleResolver.builder().route("/a/{b", List.of(), CONTACT))
			.withMessageContaining("/a/{b");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PathPatternCaptchaRuleResolver.builder().route("relative", List.of(), CONTACT));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PathPatternCaptchaRuleResolver.builder().route("/a", List.of("GE T"), CONTACT));
	}

	@Test
	void routeWhenMethodMisspeltThenIllegalArgumentInsteadOfARouteNoRequestMatches() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PathPatternCaptchaRuleResolver.builder().route("/a", List.of("PSOT"), CONTACT))
			.withMessageContaining("'PSOT' is not an HTTP method");
		assertThat(PathPatternCaptchaRuleResolver.builder()
			.route("/a", List.of("post", "Delete"), CONTACT)
			.build()
			.resolve(request("DELETE", "/a"))).isEqualTo(CONTACT);
	}

	private static MockHttpServletRequest request(String method, String uri) {
		MockHttpServletRequest request = new MockHttpServletRequest(method, uri);
		return request;
	}

}
