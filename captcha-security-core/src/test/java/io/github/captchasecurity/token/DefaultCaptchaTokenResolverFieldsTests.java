package io.github.captchasecurity.token;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import io.github.captchasecurity.CaptchaVerificationException;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.servlet.TestRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ResolvedToken#fields()} as filled by
 * {@link DefaultCaptchaTokenResolver}: where the token was found, which on routes
 * accepting several providers picks the provider.
 */
class DefaultCaptchaTokenResolverFieldsTests {

	private static final String FORM = "application/x-www-form-urlencoded";

	private static final String TOKEN = "P1_eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.hadQ2xQ4kFSxSNfNk3Dg";

	private final DefaultCaptchaTokenResolver resolver = new DefaultCaptchaTokenResolver();

	@Test
	void resolveWhenNoTokenThenNoFields() throws IOException {
		ResolvedToken resolved = this.resolver.resolve(post());

		assertThat(resolved.token()).isNull();
		assertThat(resolved.fields()).isEmpty();
	}

	@Test
	void resolveWhenHeaderThenFieldIsHeaderName() throws IOException {
		MockHttpServletRequest request = post();
		request.addHeader("X-Captcha-Token", TOKEN);

		ResolvedToken resolved = this.resolver.resolve(request);

		assertThat(resolved.token()).isEqualTo(TOKEN);
		assertThat(resolved.fields()).containsExactly("X-Captcha-Token");
	}

	@Test
	void resolveWhenCustomHeaderThenFieldIsConfiguredHeaderName() throws IOException {
		this.resolver.setHeaderName("X-Turnstile-Token");
		MockHttpServletRequest request = post();
		request.addHeader("x-turnstile-token", TOKEN);

		ResolvedToken resolved = this.resolver.resolve(request);

		assertThat(resolved.fields()).containsExactly("X-Turnstile-Token");
	}

	@Test
	void resolveWhenSameHeaderTwiceThenFieldListedOnce() throws IOException {
		MockHttpServletRequest request = post();
		request.addHeader("X-Captcha-Token", TOKEN);
		request.addHeader("X-Captcha-Token", TOKEN);

		ResolvedToken resolved = this.resolver.resolve(request);

		assertThat(resolved.fields()).containsExactly("X-Captcha-Token");
	}

	@Test
	void resolveWhenJsonMemberThenFieldIsMemberName() throws IOException {
		MockHttpServletRequest request = json("{\"name\": \"Ada\", \"captchaToken\": \"" + TOKEN + "\"}");

		ResolvedToken resolved = this.resolver.resolve(request);

		assertThat(resolved.token()).isEqualTo(TOKEN);
		assertThat(resolved.fields()).containsExactly("captchaToken");
	}

	@Test
	void resolveWhenCustomJsonMemberThenFieldIsThatMember() throws IOException {
		this.resolver.setJsonField("cf-turnstile-response");
		MockHttpServletRequest request = json("{\"cf-turnstile-response\": \"" + TOKEN + "\"}");

		ResolvedToken resolved = this.resolver.resolve(request);

		assertThat(resolved.fields()).containsExactly("cf-turnstile-response");
	}

	@ParameterizedTest
	@ValueSource(strings = { "g-recaptcha-response", "h-captcha-response", "cf-turnstile-response", "captcha-token" })
	void resolveWhenOneFormFieldThenOnlyThatField(String field) throws IOException {
		MockHttpServletRequest request = form();
		request.addParameter(field, TOKEN);
		request.addParameter("message", "hello");

		ResolvedToken resolved = this.resolver.resolve(request);

		assertThat(resolved.token()).isEqualTo(TOKEN);
		assertThat(resolved.fields()).containsExactly(field);
	}

	@Test
	void resolveWhenHcaptchaFillsBothFieldsThenBothListed() throws IOException {
		// hCaptcha's widget also fills g-recaptcha-response, with the same token, for
		// drop-in compatibility
		MockHttpServletRequest request = form();
		request.addParameter("g-recaptcha-response", TOKEN);
		request.addParameter("h-captcha-response", TOKEN);

		ResolvedToken resolved = this.resolver.resolve(request);

		assertThat(resolved.token()).isEqualTo(TOKEN);
		assertThat(resolved.fields()).containsExactlyInAnyOrder("g-recaptcha-response", "h-captcha-response");
	}

	@Test
	void resolveWhenHcaptchaFillsBothFieldsInMultipartThenBothListed() throws IOException {
		MockHttpServletRequest request = post();
		request.setContentType("multipart/form-data; boundary=----x");
		request.addParameter("h-captcha-response", TOKEN);
		request.addParameter("g-recaptcha-response", TOKEN);

		ResolvedToken resolved = this.resolver.resolve(request);

		assertThat(resolved.fields()).containsExactlyInAnyOrder("g-recaptcha-response", "h-captcha-response");
	}

	@Test
	void resolveWhenTwoFieldsCarryDifferentTokensThenMalformed() {
		MockHttpServletRequest request = form();
		request.addParameter("g-recaptcha-response", TOKEN);
		request.addParameter("h-captcha-response", TOKEN + "x");

		assertThatExceptionOfType(CaptchaVerificationException.class).isThrownBy(() -> this.resolver.resolve(request))
			.satisfies((ex) -> assertThat(ex.getOutcome()).isEqualTo(VerificationOutcome.MALFORMED));
	}

	@Test
	void resolveWhenHeaderAndFormFieldCarrySameTokenThenBothListed() throws IOException {
		MockHttpServletRequest request = form();
		request.addHeader("X-Captcha-Token", TOKEN);
		request.addParameter("cf-turnstile-response", TOKEN);

		ResolvedToken resolved = this.resolver.resolve(request);

		assertThat(resolved.fields()).containsExactlyInAnyOrder("X-Captcha-Token", "cf-turnstile-response");
	}

	@Test
	void resolveWhenHeaderAndJsonMemberCarrySameTokenThenBothListed() throws IOException {
		MockHttpServletRequest request = json("{\"captchaToken\": \"" + TOKEN + "\"}");
		request.addHeader("X-Captcha-Token", TOKEN);

		ResolvedToken resolved = this.resolver.resolve(request);

		assertThat(resolved.fields()).containsExactlyInAnyOrder("X-Captcha-Token", "captchaToken");
	}

	@Test
	void resolveWhenOtherFieldBlankThenOnlyFieldWithTokenListed() throws IOException {
		MockHttpServletRequest request = form();
		request.addParameter("h-captcha-response", TOKEN);
		request.addParameter("g-recaptcha-response", "");
		request.addParameter("cf-turnstile-response", "   ");

		ResolvedToken resolved = this.resolver.resolve(request);

		assertThat(resolved.fields()).containsExactly("h-captcha-response");
	}

	@Test
	void resolveWhenSameTokenAlsoInQueryStringFieldThenQueryFieldNotListed() throws IOException {
		// MockHttpServletRequest does not separate query from body: the container would
		// list the query value too
		MockHttpServletRequest request = form();
		request.setQueryString("g-recaptcha-response=" + TOKEN);
		request.addParameter("g-recaptcha-response", TOKEN);
		request.addParameter("cf-turnstile-response", TOKEN);

		ResolvedToken resolved = this.resolver.resolve(request);

		assertThat(resolved.fields()).containsExactly("cf-turnstile-response");
	}

	@Test
	void resolveWhenFieldNotConfiguredThenNeitherTokenNorField() throws IOException {
		this.resolver.setFormFields(List.of("cf-turnstile-response"));
		MockHttpServletRequest request = form();
		request.addParameter("h-captcha-response", TOKEN);

		ResolvedToken resolved = this.resolver.resolve(request);

		assertThat(resolved.token()).isNull();
		assertThat(resolved.fields()).isEmpty();
	}

	@Test
	void resolveWhenProviderFieldAddedToConfigurationThenListed() throws IOException {
		this.resolver.setFormFields(List.of("frc-captcha-response", "captchala-token"));
		MockHttpServletRequest request = form();
		request.addParameter("frc-captcha-response", TOKEN);

		ResolvedToken resolved = this.resolver.resolve(request);

		assertThat(resolved.fields()).containsExactly("frc-captcha-response");
	}

	@Test
	void resolvedTokenWhenCreatedWithoutFieldsThenEmptyAndImmutable() {
		ResolvedToken resolved = new ResolvedToken(post(), TOKEN);

		assertThat(resolved.fields()).isEmpty();
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> resolved.fields().add("x"));
	}

	@Test
	void resolvedTokenWhenToStringThenTokenNotShown() {
		ResolvedToken resolved = new ResolvedToken(post(), TOKEN, Set.of("h-captcha-response"));

		assertThat(resolved.toString()).doesNotContain(TOKEN);
	}

	// --- helpers ---

	@Test
	void resolveWhenOfficialAltchaWidgetFormFieldThenReadByDefault() throws IOException {
		MockHttpServletRequest request = form();
		request.addParameter("altcha", TOKEN);

		ResolvedToken resolved = this.resolver.resolve(request);

		assertThat(resolved.token()).isEqualTo(TOKEN);
		assertThat(resolved.fields()).containsExactly("altcha");
	}

	@Test
	void resolveWhenAltchaJsonMemberThenReadByDefault() throws IOException {
		ResolvedToken resolved = this.resolver.resolve(json("{\"altcha\":\"" + TOKEN + "\"}"));

		assertThat(resolved.token()).isEqualTo(TOKEN);
		assertThat(resolved.fields()).containsExactly("altcha");
	}

	@Test
	void resolveWhenAltchaAndCaptchaTokenMembersDifferThenMalformed() {
		assertThatExceptionOfType(CaptchaVerificationException.class)
			.isThrownBy(() -> this.resolver.resolve(json("{\"altcha\":\"a\",\"captchaToken\":\"b\"}")))
			.satisfies((ex) -> assertThat(ex.getOutcome()).isEqualTo(VerificationOutcome.MALFORMED));
	}

	@Test
	void resolveWhenJsonFieldsConfiguredThenOnlyThoseRead() throws IOException {
		this.resolver.setJsonFields(List.of("token"));

		assertThat(this.resolver.resolve(json("{\"altcha\":\"" + TOKEN + "\"}")).token()).isNull();
		assertThat(this.resolver.resolve(json("{\"token\":\"" + TOKEN + "\"}")).token()).isEqualTo(TOKEN);
	}

	private static MockHttpServletRequest post() {
		return new TestRequest("POST", "/api/contact");
	}

	private static MockHttpServletRequest form() {
		MockHttpServletRequest request = post();
		request.setContentType(FORM);
		return request;
	}

	private static MockHttpServletRequest json(String body) {
		MockHttpServletRequest request = post();
		request.setContentType("application/json");
		request.setContent(body.getBytes(StandardCharsets.UTF_8));
		return request;
	}

}
