package io.github.captchasecurity.token;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.github.captchasecurity.CaptchaVerificationException;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.servlet.TestRequest;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link DefaultCaptchaTokenResolver}.
 */
class DefaultCaptchaTokenResolverTests {

	private static final String FORM = "application/x-www-form-urlencoded";

	private static final String TOKEN = "03AGdBq25SxXT-pmSeBXjzScW-EiocHwwpwqtk1QXlJnGnUJC";

	private final DefaultCaptchaTokenResolver resolver = new DefaultCaptchaTokenResolver();

	// --- header ---

	@Test
	void resolveWhenHeaderThenToken() throws IOException {
		MockHttpServletRequest request = post();
		request.addHeader("X-Captcha-Token", TOKEN);

		ResolvedToken resolved = this.resolver.resolve(request);

		assertThat(resolved.token()).isEqualTo(TOKEN);
		assertThat(resolved.request()).isSameAs(request);
	}

	@Test
	void resolveWhenNothingThenNoToken() throws IOException {
		MockHttpServletRequest request = post();

		ResolvedToken resolved = this.resolver.resolve(request);

		assertThat(resolved.token()).isNull();
		assertThat(resolved.request()).isSameAs(request);
	}

	@Test
	void resolveWhenTwoDifferentHeaderValuesThenMalformed() {
		MockHttpServletRequest request = post();
		request.addHeader("X-Captcha-Token", TOKEN);
		request.addHeader("X-Captcha-Token", "another-token");

		assertMalformed(request);
	}

	@Test
	void resolveWhenSameHeaderValueTwiceThenToken() throws IOException {
		MockHttpServletRequest request = post();
		request.addHeader("X-Captcha-Token", TOKEN);
		request.addHeader("X-Captcha-Token", TOKEN);

		assertThat(this.resolver.resolve(request).token()).isEqualTo(TOKEN);
	}

	@Test
	void resolveWhenCustomHeaderNameThenOnlyThatHeaderRead() throws IOException {
		this.resolver.setHeaderName("X-Recaptcha");
		MockHttpServletRequest custom = post();
		custom.addHeader("X-Recaptcha", TOKEN);
		MockHttpServletRequest defaultName = post();
		defaultName.addHeader("X-Captcha-Token", TOKEN);

		assertThat(this.resolver.resolve(custom).token()).isEqualTo(TOKEN);
		assertThat(this.resolver.resolve(defaultName).token()).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "  " })
	void setHeaderNameWhenBlankThenIllegalArgumentException(String name) {
		assertThatIllegalArgumentException().isThrownBy(() -> this.resolver.setHeaderName(name));
	}

	// --- form fields ---

	@ParameterizedTest
	@ValueSource(strings = { "g-recaptcha-response", "h-captcha-response", "cf-turnstile-response", "captcha-token" })
	void resolveWhenDefaultFormFieldInUrlencodedBodyThenToken(String field) throws IOException {
		MockHttpServletRequest request = form();
		request.addParameter(field, TOKEN);

		ResolvedToken resolved = this.resolver.resolve(request);

		assertThat(resolved.token()).isEqualTo(TOKEN);
		assertThat(resolved.request()).isSameAs(request);
	}

	@Test
	void resolveWhenFormFieldInMultipartBodyThenToken() throws IOException {
		MockHttpServletRequest request = post();
		request.setContentType("multipart/form-data; boundary=----x");
		request.addParameter("cf-turnstile-response", TOKEN);

		assertThat(this.resolver.resolve(request).token()).isEqualTo(TOKEN);
	}

	@Test
	void resolveWhenUnknownFormFieldThenNoToken() throws IOException {
		MockHttpServletRequest request = form();
		request.addParameter("token", TOKEN);

		assertThat(this.resolver.resolve(request).token()).isNull();
	}

	@Test
	void resolveWhenFormFieldOnlyInQueryStringThenNoToken() throws IOException {
		// MockHttpServletRequest does not separate query from body: the container would
		// list the query value too
		MockHttpServletRequest request = form();
		request.setQueryString("captcha-token=abc");
		request.addParameter("captcha-token", "abc");

		assertThat(this.resolver.resolve(request).token()).isNull();
	}

	@Test
	void resolveWhenEncodedFieldNameOnlyInQueryStringThenNoToken() throws IOException {
		MockHttpServletRequest request = form();
		request.setQueryString("page=2&captcha%2Dtoken=abc");
		request.addParameter("page", "2");
		request.addParameter("captcha-token", "abc");

		assertThat(this.resolver.resolve(request).token()).isNull();
	}

	@Test
	void resolveWhenFieldInQueryAndBodyThenBodyValueTaken() throws IOException {
		// the servlet spec lists query-string values before body values
		MockHttpServletRequest request = form();
		request.setQueryString("captcha-token=from-query");
		request.addParameter("captcha-token", "from-query");
		request.addParameter("captcha-token", TOKEN);

		assertThat(this.resolver.resolve(request).token()).isEqualTo(TOKEN);
	}

	@Test
	void resolveWhenFormFieldsOnGetWithoutBodyThenNoToken() throws IOException {
		MockHttpServletRequest request = new TestRequest("GET", "/api/contact");
		request.setQueryString("g-recaptcha-response=abc");
		request.addParameter("g-recaptcha-response", "abc");

		assertThat(this.resolver.resolve(request).token()).isNull();
	}

	@Test
	void resolveWhenTwoDifferentFormFieldsThenMalformed() {
		MockHttpServletRequest request = form();
		request.addParameter("g-recaptcha-response", TOKEN);
		request.addParameter("captcha-token", "another-token");

		assertMalformed(request);
	}

	@Test
	void resolveWhenSameFormFieldTwiceWithDifferentValuesThenMalformed() {
		MockHttpServletRequest request = form();
		request.addParameter("captcha-token", TOKEN, "another-token");

		assertMalformed(request);
	}

	@Test
	void resolveWhenSameTokenInHeaderAndFormThenToken() throws IOException {
		MockHttpServletRequest request = form();
		request.addHeader("X-Captcha-Token", TOKEN);
		request.addParameter("g-recaptcha-response", TOKEN);
		request.addParameter("captcha-token", TOKEN);

		assertThat(this.resolver.resolve(request).token()).isEqualTo(TOKEN);
	}

	@Test
	void resolveWhenHeaderAndFormDifferThenMalformed() {
		MockHttpServletRequest request = form();
		request.addHeader("X-Captcha-Token", TOKEN);
		request.addParameter("captcha-token", "another-token");

		assertMalformed(request);
	}

	@Test
	void resolveWhenBlankValuesThenIgnored() throws IOException {
		MockHttpServletRequest request = form();
		request.addHeader("X-Captcha-Token", "   ");
		request.addParameter("g-recaptcha-response", "");
		request.addParameter("h-captcha-response", " ");
		request.addParameter("captcha-token", TOKEN);

		assertThat(this.resolver.resolve(request).token()).isEqualTo(TOKEN);
	}

	@Test
	void resolveWhenOnlyBlankValuesThenNoToken() throws IOException {
		MockHttpServletRequest request = form();
		request.addHeader("X-Captcha-Token", " ");
		request.addParameter("captcha-token", "");

		assertThat(this.resolver.resolve(request).token()).isNull();
	}

	@Test
	void resolveWhenCustomFormFieldsThenOnlyThoseRead() throws IOException {
		this.resolver.setFormFields(List.of("my-captcha"));
		MockHttpServletRequest custom = form();
		custom.addParameter("my-captcha", TOKEN);
		MockHttpServletRequest defaultField = form();
		defaultField.addParameter("g-recaptcha-response", TOKEN);

		assertThat(this.resolver.resolve(custom).token()).isEqualTo(TOKEN);
		assertThat(this.resolver.resolve(defaultField).token()).isNull();
	}

	@Test
	void resolveWhenContainerCannotParseFormThenNoTokenAndNoException() throws IOException {
		MockHttpServletRequest request = new TestRequest("POST", "/api/contact") {

			@Override
			public String[] getParameterValues(String name) {
				throw new IllegalStateException("multipart not configured");
			}

		};
		request.setContentType("multipart/form-data; boundary=----x");

		assertThat(this.resolver.resolve(request).token()).isNull();
	}

	// --- JSON ---

	@Test
	void resolveWhenJsonMemberThenTokenAndBodyStillReadableAsStream() throws IOException {
		byte[] body = ("{\"name\": \"J\u00f6rg \u2603\", \"captchaToken\": \"" + TOKEN + "\", \"n\": [1, 2]}")
			.getBytes(StandardCharsets.UTF_8);
		MockHttpServletRequest request = json(body);

		ResolvedToken resolved = this.resolver.resolve(request);

		assertThat(resolved.token()).isEqualTo(TOKEN);
		assertThat(resolved.request()).isNotSameAs(request);
		assertThat(resolved.request().getInputStream().readAllBytes()).isEqualTo(body);
		assertThat(resolved.request().getContentLength()).isEqualTo(body.length);
		assertThat(resolved.request().getContentLengthLong()).isEqualTo(body.length);
	}

	@Test
	void resolveWhenJsonMemberThenBodyStillReadableAsReader() throws IOException {
		String text = "{\"captchaToken\": \"" + TOKEN + "\", \"message\": \"Gr\u00fc\u00dfe \u2603 \ud83d\ude00\"}";
		MockHttpServletRequest request = json(text.getBytes(StandardCharsets.UTF_8));

		ResolvedToken resolved = this.resolver.resolve(request);

		assertThat(readAll(resolved.request().getReader())).isEqualTo(text);
	}

	@Test
	void resolveWhenJsonMemberThenBodyReadableMoreThanOnce() throws IOException {
		byte[] body = ("{\"captchaToken\": \"" + TOKEN + "\"}").getBytes(StandardCharsets.UTF_8);

		HttpServletRequest passOn = this.resolver.resolve(json(body)).request();

		assertThat(passOn.getInputStream().readAllBytes()).isEqualTo(body);
		assertThat(passOn.getInputStream().readAllBytes()).isEqualTo(body);
		assertThat(readAll(passOn.getReader())).isEqualTo(new String(body, StandardCharsets.UTF_8));
	}

	@Test
	void resolveWhenJsonWithoutMemberThenNoTokenAndBodyPreserved() throws IOException {
		byte[] body = "{\"name\": \"x\"}".getBytes(StandardCharsets.UTF_8);

		ResolvedToken resolved = this.resolver.resolve(json(body));

		assertThat(resolved.token()).isNull();
		assertThat(resolved.request().getInputStream().readAllBytes()).isEqualTo(body);
	}

	@Test
	void resolveWhenJsonMemberNullThenNoToken() throws IOException {
		ResolvedToken resolved = this.resolver.resolve(json("{\"captchaToken\": null, \"a\": 1}"));

		assertThat(resolved.token()).isNull();
	}

	@Test
	void resolveWhenJsonMemberBlankThenNoToken() throws IOException {
		ResolvedToken resolved = this.resolver.resolve(json("{\"captchaToken\": \"  \"}"));

		assertThat(resolved.token()).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "42", "1.5", "true", "{\"value\": \"abc\"}", "[\"abc\"]" })
	void resolveWhenJsonMemberNotStringThenMalformed(String value) {
		assertMalformed(json("{\"captchaToken\": " + value + "}"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"data\": {\"captchaToken\": \"abc\"}}",
			"{\"list\": [{\"captchaToken\": \"abc\"}], \"other\": \"x\"}", "[{\"captchaToken\": \"abc\"}]",
			"\"captchaToken\"", "{\"data\": {\"captchaToken\": 42}}" })
	void resolveWhenJsonMemberNotTopLevelThenIgnored(String body) throws IOException {
		assertThat(this.resolver.resolve(json(body)).token()).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "not json", "{captchaToken: \"abc\"}", "{\"captchaToken\" \"abc\"}", "",
			"<captchaToken>abc</captchaToken>" })
	void resolveWhenJsonInvalidThenNoTokenAndNoException(String body) throws IOException {
		MockHttpServletRequest request = json(body);

		ResolvedToken resolved = this.resolver.resolve(request);

		assertThat(resolved.token()).isNull();
		assertThat(resolved.request().getInputStream().readAllBytes()).isEqualTo(body.getBytes(StandardCharsets.UTF_8));
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"captchaToken\": \"abc\"", "{\"captchaToken\": \"abc\",",
			"{\"captchaToken\": \"abc\", }", "{\"captchaToken\": \"abc\", \"x\": }" })
	void resolveWhenJsonInvalidAfterMemberThenNoToken(String body) throws IOException {
		ResolvedToken resolved = this.resolver.resolve(json(body));

		assertThat(resolved.token()).isNull();
	}

	@Test
	void resolveWhenHeaderAndJsonDifferThenMalformed() {
		MockHttpServletRequest request = json("{\"captchaToken\": \"another-token\"}");
		request.addHeader("X-Captcha-Token", TOKEN);

		assertMalformed(request);
	}

	@Test
	void resolveWhenHeaderAndJsonSameThenToken() throws IOException {
		MockHttpServletRequest request = json("{\"captchaToken\": \"" + TOKEN + "\"}");
		request.addHeader("X-Captcha-Token", TOKEN);

		assertThat(this.resolver.resolve(request).token()).isEqualTo(TOKEN);
	}

	@Test
	void resolveWhenJsonMemberTwiceWithDifferentValuesThenMalformed() {
		assertMalformed(json("{\"captchaToken\": \"" + TOKEN + "\", \"captchaToken\": \"another-token\"}"));
	}

	@Test
	void resolveWhenCustomJsonFieldThenOnlyThatMemberRead() throws IOException {
		this.resolver.setJsonField("recaptcha");

		assertThat(this.resolver.resolve(json("{\"recaptcha\": \"" + TOKEN + "\"}")).token()).isEqualTo(TOKEN);
		assertThat(this.resolver.resolve(json("{\"captchaToken\": \"" + TOKEN + "\"}")).token()).isNull();
	}

	@Test
	void resolveWhenJsonFieldDisabledThenBodyNotRead() throws IOException {
		this.resolver.setJsonField(null);
		MockHttpServletRequest request = json("{\"captchaToken\": \"" + TOKEN + "\"}");

		ResolvedToken resolved = this.resolver.resolve(request);

		assertThat(resolved.token()).isNull();
		assertThat(resolved.request()).isSameAs(request);
	}

	@ParameterizedTest
	@ValueSource(strings = { "application/json", "application/json; charset=UTF-8", "Application/JSON",
			"application/vnd.api+json", "application/problem+json; charset=utf-8", "application/merge-patch+json" })
	void resolveWhenJsonMediaTypeThenBodyRead(String contentType) throws IOException {
		MockHttpServletRequest request = json("{\"captchaToken\": \"" + TOKEN + "\"}");
		request.setContentType(contentType);

		assertThat(this.resolver.resolve(request).token()).isEqualTo(TOKEN);
	}

	@ParameterizedTest
	@ValueSource(strings = { "text/plain", "text/json", "application/xml", "application/jsonx" })
	void resolveWhenOtherMediaTypeThenBodyNotRead(String contentType) throws IOException {
		MockHttpServletRequest request = json("{\"captchaToken\": \"" + TOKEN + "\"}");
		request.setContentType(contentType);

		ResolvedToken resolved = this.resolver.resolve(request);

		assertThat(resolved.token()).isNull();
		assertThat(resolved.request()).isSameAs(request);
	}

	// --- body size limit ---

	@Test
	void resolveWhenDeclaredContentLengthOverLimitThenBodyTooLarge() {
		this.resolver.setMaxBodyBytes(32);
		MockHttpServletRequest request = json("{\"captchaToken\": \"" + TOKEN + "\"}");
		assertThat(request.getContentLengthLong()).isGreaterThan(32);

		assertThatExceptionOfType(CaptchaVerificationException.class).isThrownBy(() -> this.resolver.resolve(request))
			.satisfies((ex) -> assertThat(ex.getOutcome()).isEqualTo(VerificationOutcome.BODY_TOO_LARGE));
	}

	@Test
	void resolveWhenChunkedBodyOverLimitThenBodyTooLarge() {
		this.resolver.setMaxBodyBytes(32);
		MockHttpServletRequest request = chunked("{\"captchaToken\": \"" + TOKEN + "\"}");
		assertThat(request.getContentLengthLong()).isEqualTo(-1);

		assertThatExceptionOfType(CaptchaVerificationException.class).isThrownBy(() -> this.resolver.resolve(request))
			.satisfies((ex) -> assertThat(ex.getOutcome()).isEqualTo(VerificationOutcome.BODY_TOO_LARGE));
	}

	@Test
	void resolveWhenDeclaredLengthUnderstatesBodyThenBodyTooLarge() {
		this.resolver.setMaxBodyBytes(32);
		MockHttpServletRequest request = new TestRequest("POST", "/api/contact") {

			@Override
			public int getContentLength() {
				return 10;
			}

			@Override
			public long getContentLengthLong() {
				return 10;
			}

		};
		request.setContentType("application/json");
		request.setContent(("{\"captchaToken\": \"" + TOKEN + "\"}").getBytes(StandardCharsets.UTF_8));

		assertThatExceptionOfType(CaptchaVerificationException.class).isThrownBy(() -> this.resolver.resolve(request))
			.satisfies((ex) -> assertThat(ex.getOutcome()).isEqualTo(VerificationOutcome.BODY_TOO_LARGE));
	}

	@Test
	void resolveWhenBodyExactlyAtLimitThenAccepted() throws IOException {
		byte[] body = ("{\"captchaToken\": \"" + TOKEN + "\"}").getBytes(StandardCharsets.UTF_8);
		this.resolver.setMaxBodyBytes(body.length);

		ResolvedToken resolved = this.resolver.resolve(json(body));

		assertThat(resolved.token()).isEqualTo(TOKEN);
		assertThat(resolved.request().getInputStream().readAllBytes()).isEqualTo(body);
	}

	@Test
	void resolveWhenChunkedBodyExactlyAtLimitThenAccepted() throws IOException {
		String body = "{\"captchaToken\": \"" + TOKEN + "\"}";
		this.resolver.setMaxBodyBytes(body.getBytes(StandardCharsets.UTF_8).length);

		ResolvedToken resolved = this.resolver.resolve(chunked(body));

		assertThat(resolved.token()).isEqualTo(TOKEN);
		assertThat(resolved.request().getContentLengthLong()).isEqualTo(body.length());
	}

	@Test
	void resolveWhenBodyOverLimitButNotJsonThenNotRead() throws IOException {
		this.resolver.setMaxBodyBytes(8);
		MockHttpServletRequest request = form();
		request.setContent("captcha-token=abc&message=a-long-message".getBytes(StandardCharsets.UTF_8));
		request.addParameter("captcha-token", "abc");

		assertThat(this.resolver.resolve(request).token()).isEqualTo("abc");
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, -1 })
	void setMaxBodyBytesWhenLessThanOneThenIllegalArgumentException(int maxBodyBytes) {
		assertThatIllegalArgumentException().isThrownBy(() -> this.resolver.setMaxBodyBytes(maxBodyBytes));
	}

	@Test
	void resolveWhenMaxBodyBytesIsIntegerMaxThenJsonBodyRead() {
		this.resolver.setMaxBodyBytes(Integer.MAX_VALUE);
		MockHttpServletRequest request = json("{\"captchaToken\": \"" + TOKEN + "\"}");

		assertThatNoException().isThrownBy(() -> assertThat(this.resolver.resolve(request).token()).isEqualTo(TOKEN));
	}

	// --- helpers ---

	private void assertMalformed(HttpServletRequest request) {
		assertThatExceptionOfType(CaptchaVerificationException.class).isThrownBy(() -> this.resolver.resolve(request))
			.satisfies((ex) -> {
				assertThat(ex.getOutcome()).isEqualTo(VerificationOutcome.MALFORMED);
				assertThat(ex.getMessage()).doesNotContain(TOKEN);
			});
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
		return json(body.getBytes(StandardCharsets.UTF_8));
	}

	private static MockHttpServletRequest json(byte[] body) {
		MockHttpServletRequest request = post();
		request.setContentType("application/json");
		request.setContent(body);
		return request;
	}

	/** A JSON request sent with chunked transfer encoding: no declared content length. */
	private static MockHttpServletRequest chunked(String body) {
		MockHttpServletRequest request = new TestRequest("POST", "/api/contact") {

			@Override
			public int getContentLength() {
				return -1;
			}

			@Override
			public long getContentLengthLong() {
				return -1;
			}

		};
		request.setContentType("application/json");
		request.addHeader("Transfer-Encoding", "chunked");
		request.setContent(body.getBytes(StandardCharsets.UTF_8));
		return request;
	}

	private static String readAll(Reader reader) throws IOException {
		StringBuilder text = new StringBuilder();
		char[] buffer = new char[256];
		int read;
		while ((read = reader.read(buffer)) != -1) {
			text.append(buffer, 0, read);
		}
		return text.toString();
	}

}
