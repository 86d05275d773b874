package io.github.captchasecurity.security.web;

import java.time.Duration;

import io.github.captchasecurity.CaptchaVerificationException;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.servlet.CaptchaFailureHandler;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.ArgumentCaptor;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;

import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.then;

@ExtendWith(MockitoExtension.class)
class SecurityCaptchaFailureHandlerTests {

	private static final RequestMatcher LOGIN = PathPatternRequestMatcher.withDefaults()
		.matcher(HttpMethod.POST, "/login");

	@Mock
	private CaptchaFailureHandler apiHandler;

	@Mock
	private AuthenticationFailureHandler loginHandler;

	private final CaptchaLoginAttempts attempts = new CaptchaLoginAttempts(1, Duration.ofMinutes(15),
			HttpServletRequest::getRemoteAddr);

	private final MockHttpServletResponse response = new MockHttpServletResponse();

	private final CaptchaVerificationException missing = new CaptchaVerificationException(VerificationOutcome.MISSING);

	@Test
	void onFailureWhenBrowserLoginThenHandledLikeFailedLoginAndCounted() throws Exception {
		MockHttpServletRequest request = login();
		handler().onFailure(request, this.response, this.missing);
		ArgumentCaptor<CaptchaAuthenticationException> exception = ArgumentCaptor
			.forClass(CaptchaAuthenticationException.class);
		then(this.loginHandler).should().onAuthenticationFailure(eq(request), eq(this.response), exception.capture());
		assertThat(exception.getValue().getOutcome()).isEqualTo(VerificationOutcome.MISSING);
		assertThat(exception.getValue().getCause()).isSameAs(this.missing);
		assertThat(exception.getValue().getMessage()).isEqualTo("No CAPTCHA token was sent");
		then(this.apiHandler).shouldHaveNoInteractions();
		assertThat(this.attempts.isCaptchaRequired("198.51.100.7", "bob")).isTrue();
		assertThat(this.attempts.isCaptchaRequired("198.51.100.8", "alice")).isTrue();
	}

	@Test
	void onFailureWhenLoginAcceptsJsonThenProblemAndCounted() throws Exception {
		MockHttpServletRequest request = login();
		request.addHeader("Accept", "application/json");
		handler().onFailure(request, this.response, this.missing);
		then(this.apiHandler).should().onFailure(request, this.response, this.missing);
		then(this.loginHandler).shouldHaveNoInteractions();
		assertThat(this.attempts.isCaptchaRequired("198.51.100.7", null)).isTrue();
	}

	@Test
	void onFailureWhenLoginAcceptsProblemJsonThenProblem() throws Exception {
		MockHttpServletRequest request = login();
		request.addHeader("Accept", "application/problem+json");
		handler().onFailure(request, this.response, this.missing);
		then(this.apiHandler).should().onFailure(request, this.response, this.missing);
		then(this.loginHandler).shouldHaveNoInteractions();
	}

	@Test
	void onFailureWhenLoginSentAsJsonThenProblem() throws Exception {
		MockHttpServletRequest request = login();
		request.setContentType("application/json");
		handler().onFailure(request, this.response, this.missing);
		then(this.apiHandler).should().onFailure(request, this.response, this.missing);
		then(this.loginHandler).shouldHaveNoInteractions();
	}

	@Test
	void onFailureWhenLoginByXmlHttpRequestThenProblem() throws Exception {
		MockHttpServletRequest request = login();
		request.addHeader("X-Requested-With", "XMLHttpRequest");
		handler().onFailure(request, this.response, this.missing);
		then(this.apiHandler).should().onFailure(request, this.response, this.missing);
		then(this.loginHandler).shouldHaveNoInteractions();
	}

	@Test
	void onFailureWhenOtherRouteThenProblemAndNotCounted() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/contact");
		request.setRemoteAddr("198.51.100.7");
		request.setParameter("username", "alice");
		handler().onFailure(request, this.response, this.missing);
		then(this.apiHandler).should().onFailure(request, this.response, this.missing);
		then(this.loginHandler).shouldHaveNoInteractions();
		assertThat(this.attempts.isCaptchaRequired("198.51.100.7", "alice")).isFalse();
	}

	@Test
	void onFailureWhenGetOfLoginPageThenProblem() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/login");
		handler().onFailure(request, this.response, this.missing);
		then(this.apiHandler).should().onFailure(request, this.response, this.missing);
		then(this.loginHandler).shouldHaveNoInteractions();
	}

	@Test
	void onFailureWhenNoLoginAttemptsThenStillHandledLikeFailedLogin() throws Exception {
		new SecurityCaptchaFailureHandler(this.apiHandler, this.loginHandler, LOGIN, null).onFailure(login(),
				this.response, this.missing);
		then(this.loginHandler).should().onAuthenticationFailure(any(), any(), any());
	}

	@Test
	void constructorWhenNullThenIllegalArgumentException() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new SecurityCaptchaFailureHandler(null, this.loginHandler, LOGIN, null))
			.withMessage("apiHandler cannot be null");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new SecurityCaptchaFailureHandler(this.apiHandler, null, LOGIN, null))
			.withMessage("loginHandler cannot be null");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new SecurityCaptchaFailureHandler(this.apiHandler, this.loginHandler, null, null))
			.withMessage("loginRequest cannot be null");
	}

	@Test
	void captchaAuthenticationExceptionThenCarriesTheOutcome() {
		CaptchaAuthenticationException exception = new CaptchaAuthenticationException(
				new CaptchaVerificationException(VerificationOutcome.REPLAYED));
		assertThat(exception.getOutcome()).isEqualTo(VerificationOutcome.REPLAYED);
		assertThat(exception.getMessage()).isEqualTo(VerificationOutcome.REPLAYED.title());
	}

	private SecurityCaptchaFailureHandler handler() {
		return new SecurityCaptchaFailureHandler(this.apiHandler, this.loginHandler, LOGIN, this.attempts);
	}

	private static MockHttpServletRequest login() {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/login");
		request.setRemoteAddr("198.51.100.7");
		request.setParameter("username", "alice");
		return request;
	}

}
