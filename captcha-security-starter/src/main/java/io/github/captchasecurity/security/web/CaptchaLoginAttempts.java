package io.github.captchasecurity.security.web;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

import io.github.captchasecurity.abuse.CaffeineFailureCounter;
import io.github.captchasecurity.abuse.FailureCounter;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationListener;
import org.springframework.security.authentication.event.AbstractAuthenticationEvent;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.util.Assert;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Counts failed logins per username and per client IP from Spring Security's authentication events, and tells
 * whether the login form must show a CAPTCHA: once either count reaches the threshold within the window (or always,
 * with a threshold of 0). CAPTCHA failures on the login route count too. A successful login clears its username's
 * count; an IP's count runs until its window ends, so that one good account cannot wash the failures of a client
 * trying many others.
 * <p>
 * Login pages call {@link #isCaptchaRequired(HttpServletRequest)} to decide whether to render the widget.
 *
 * @since 0.1.0
 */
public final class CaptchaLoginAttempts implements ApplicationListener<AbstractAuthenticationEvent> {

	private final FailureCounter counter;

	private final int failuresBeforeCaptcha;

	private final Duration window;

	private final Function<HttpServletRequest, @Nullable String> clientIp;

	private volatile String usernameParameter = "username";

	/**
	 * Create the counter.
	 * @param failuresBeforeCaptcha failed logins per username or IP before a CAPTCHA is required; 0: always
	 * @param window the counting window
	 * @param clientIp how the client IP is found
	 */
	public CaptchaLoginAttempts(int failuresBeforeCaptcha, Duration window,
			Function<HttpServletRequest, @Nullable String> clientIp) {
		this(new CaffeineFailureCounter(1_000_000, Clock.systemUTC()), failuresBeforeCaptcha, window, clientIp);
	}

	/**
	 * Create the counter on a given store.
	 * @param counter where failures are counted
	 * @param failuresBeforeCaptcha failed logins before a CAPTCHA is required; 0: always
	 * @param window the counting window
	 * @param clientIp how the client IP is found
	 */
	public CaptchaLoginAttempts(FailureCounter counter, int failuresBeforeCaptcha, Duration window,
			Function<HttpServletRequest, @Nullable String> clientIp) {
		Assert.notNull(counter, "counter cannot be null");
		Assert.isTrue(failuresBeforeCaptcha >= 0, "failuresBeforeCaptcha cannot be negative");
		Assert.notNull(window, "window cannot be null");
		Assert.notNull(clientIp, "clientIp cannot be null");
		this.counter = counter;
		this.failuresBeforeCaptcha = failuresBeforeCaptcha;
		this.window = window;
		this.clientIp = clientIp;
	}

	/**
	 * Set the login form's username parameter. Defaults to {@code username}.
	 * @param usernameParameter the parameter name
	 */
	public void setUsernameParameter(String usernameParameter) {
		Assert.hasText(usernameParameter, "usernameParameter cannot be empty");
		this.usernameParameter = usernameParameter;
	}

	/**
	 * Return the login form's username parameter.
	 * @return the parameter name
	 */
	public String getUsernameParameter() {
		return this.usernameParameter;
	}

	/**
	 * Whether a login from this request must carry a CAPTCHA: its client IP or the username it submits (if any)
	 * failed too often.
	 * @param request the request (a login page view or a login submission)
	 * @return {@code true} if the CAPTCHA is required
	 */
	public boolean isCaptchaRequired(HttpServletRequest request) {
		return isCaptchaRequired(this.clientIp.apply(request), request.getParameter(this.usernameParameter));
	}

	/**
	 * Whether a login from this client IP for this username must carry a CAPTCHA.
	 * @param clientIp the client IP, or null
	 * @param username the username, or null
	 * @return {@code true} if the CAPTCHA is required
	 */
	public boolean isCaptchaRequired(@Nullable String clientIp, @Nullable String username) {
		if (this.failuresBeforeCaptcha == 0) {
			return true;
		}
		return (clientIp != null && this.counter.count(ipKey(clientIp)) >= this.failuresBeforeCaptcha)
				|| (username != null && !username.isBlank()
						&& this.counter.count(userKey(username)) >= this.failuresBeforeCaptcha);
	}

	/**
	 * Count a failed login.
	 * @param clientIp the client IP, or null
	 * @param username the username, or null
	 */
	public void recordFailure(@Nullable String clientIp, @Nullable String username) {
		if (clientIp != null) {
			this.counter.increment(ipKey(clientIp), this.window);
		}
		if (username != null && !username.isBlank()) {
			this.counter.increment(userKey(username), this.window);
		}
	}

	/**
	 * Count a failed login of a request.
	 * @param request the login request
	 */
	public void recordFailure(HttpServletRequest request) {
		recordFailure(this.clientIp.apply(request), request.getParameter(this.usernameParameter));
	}

	@Override
	public void onApplicationEvent(AbstractAuthenticationEvent event) {
		String username = event.getAuthentication().getName();
		if (event instanceof AbstractAuthenticationFailureEvent) {
			HttpServletRequest request = currentRequest();
			recordFailure((request != null) ? this.clientIp.apply(request) : null, username);
		}
		else if (event instanceof AuthenticationSuccessEvent && username != null && !username.isBlank()) {
			this.counter.reset(userKey(username));
		}
	}

	private static @Nullable HttpServletRequest currentRequest() {
		RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
		return (attributes instanceof ServletRequestAttributes servlet) ? servlet.getRequest() : null;
	}

	private static String ipKey(String clientIp) {
		return "login-ip:" + clientIp;
	}

	private static String userKey(String username) {
		return "login-user:" + username.trim().toLowerCase(Locale.ROOT);
	}

}
