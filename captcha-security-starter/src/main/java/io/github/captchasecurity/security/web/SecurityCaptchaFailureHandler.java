package io.github.captchasecurity.security.web;

import java.io.IOException;

import io.github.captchasecurity.CaptchaVerificationException;
import io.github.captchasecurity.message.CaptchaMessages;
import io.github.captchasecurity.servlet.CaptchaFailureHandler;
import io.github.captchasecurity.servlet.CaptchaLocaleResolver;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.Assert;

/**
 * Answers CAPTCHA failures the way the route's clients expect: a browser's login form
 * submission is handled like a failed login (by the {@link AuthenticationFailureHandler},
 * by default a redirect back to the login page) with a
 * {@link CaptchaAuthenticationException} whose message is in the client's language, and
 * counts as a failed login; API clients (asking for JSON) and every other route get the
 * problem+json answer.
 *
 * @since 0.1.0
 */
public final class SecurityCaptchaFailureHandler implements CaptchaFailureHandler {

	private final CaptchaFailureHandler apiHandler;

	private final AuthenticationFailureHandler loginHandler;

	private final RequestMatcher loginRequest;

	private final @Nullable CaptchaLoginAttempts loginAttempts;

	private final @Nullable String usernameParameter;

	private CaptchaMessages messages = CaptchaMessages.bundled();

	private CaptchaLocaleResolver localeResolver = CaptchaLocaleResolver.acceptLanguage();

	/**
	 * Create the handler; failures are counted under the username parameter of the
	 * {@link CaptchaLoginAttempts}.
	 * @param apiHandler answers API clients and non-login routes
	 * @param loginHandler answers login form submissions from browsers
	 * @param loginRequest matches login form submissions
	 * @param loginAttempts counts CAPTCHA failures as failed logins, or null
	 */
	public SecurityCaptchaFailureHandler(CaptchaFailureHandler apiHandler, AuthenticationFailureHandler loginHandler,
			RequestMatcher loginRequest, @Nullable CaptchaLoginAttempts loginAttempts) {
		this(apiHandler, loginHandler, loginRequest, loginAttempts, null);
	}

	/**
	 * Create the handler for a login form with its own username parameter.
	 * @param apiHandler answers API clients and non-login routes
	 * @param loginHandler answers login form submissions from browsers
	 * @param loginRequest matches login form submissions
	 * @param loginAttempts counts CAPTCHA failures as failed logins, or null
	 * @param usernameParameter the login form's username parameter, or null for the one
	 * of the {@link CaptchaLoginAttempts}
	 */
	public SecurityCaptchaFailureHandler(CaptchaFailureHandler apiHandler, AuthenticationFailureHandler loginHandler,
			RequestMatcher loginRequest, @Nullable CaptchaLoginAttempts loginAttempts,
			@Nullable String usernameParameter) {
		Assert.notNull(apiHandler, "apiHandler cannot be null");
		Assert.notNull(loginHandler, "loginHandler cannot be null");
		Assert.notNull(loginRequest, "loginRequest cannot be null");
		this.apiHandler = apiHandler;
		this.loginHandler = loginHandler;
		this.loginRequest = loginRequest;
		this.loginAttempts = loginAttempts;
		this.usernameParameter = usernameParameter;
	}

	/**
	 * Set the texts of the login error message (the key
	 * {@code captcha.error.CODE.title}). Defaults to the bundled messages.
	 * @param messages the texts
	 * @since 0.1.0
	 */
	public void setMessages(CaptchaMessages messages) {
		Assert.notNull(messages, "messages cannot be null");
		this.messages = messages;
	}

	/**
	 * Set how the language of the login error message is chosen. Defaults to the
	 * {@code Accept-Language} header.
	 * @param localeResolver the resolver
	 * @since 0.1.0
	 */
	public void setLocaleResolver(CaptchaLocaleResolver localeResolver) {
		Assert.notNull(localeResolver, "localeResolver cannot be null");
		this.localeResolver = localeResolver;
	}

	@Override
	public void onFailure(HttpServletRequest request, HttpServletResponse response,
			CaptchaVerificationException exception) throws IOException, ServletException {
		boolean login = this.loginRequest.matches(request);
		if (login && this.loginAttempts != null) {
			if (this.usernameParameter != null) {
				this.loginAttempts.recordFailedLogin(request, this.usernameParameter);
			}
			else {
				this.loginAttempts.recordFailure(request);
			}
		}
		if (login && !wantsJson(request)) {
			String code = exception.getOutcome().code();
			String message = (code != null)
					? this.messages.message(CaptchaMessages.titleKey(code), this.localeResolver.resolveLocale(request))
					: exception.getOutcome().title();
			this.loginHandler.onAuthenticationFailure(request, response,
					new CaptchaAuthenticationException(message, exception));
			return;
		}
		this.apiHandler.onFailure(request, response, exception);
	}

	static boolean wantsJson(HttpServletRequest request) {
		String accept = request.getHeader("Accept");
		String contentType = request.getContentType();
		return (accept != null && (accept.contains("application/json") || accept.contains("+json")))
				|| (contentType != null && contentType.contains("json"))
				|| "XMLHttpRequest".equals(request.getHeader("X-Requested-With"));
	}

}
