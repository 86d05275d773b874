package io.github.captchasecurity.security.web;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.github.captchasecurity.abuse.CaffeineFailureCounter;
import io.github.captchasecurity.abuse.FailureCounter;
import io.github.captchasecurity.store.CaptchaStoreException;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationListener;
import org.springframework.security.authentication.event.AbstractAuthenticationEvent;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.util.Assert;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Counts failed logins per username and per client IP from Spring Security's
 * authentication events, and tells whether the login form must show a CAPTCHA: once
 * either count reaches the threshold within the window (or always, with a threshold of
 * 0). CAPTCHA failures on the login route count too. A successful login clears its
 * username's count; an IP's count runs until its window ends, so that one good account
 * cannot wash the failures of a client trying many others.
 * <p>
 * Login pages call {@link #isCaptchaRequired(HttpServletRequest)} to decide whether to
 * render the widget.
 * <p>
 * When the counter's store fails ({@link CaptchaStoreException}), a CAPTCHA is required
 * (fail closed) and the failure goes uncounted, with a WARN at most once a minute: a
 * login never fails with a server error because of it.
 *
 * @since 0.1.0
 */
public final class CaptchaLoginAttempts implements ApplicationListener<AbstractAuthenticationEvent> {

	private static final Logger logger = LoggerFactory.getLogger(CaptchaLoginAttempts.class);

	private static final long WARN_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();

	private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);

	private final FailureCounter counter;

	private final int failuresBeforeCaptcha;

	private final Duration window;

	private final Function<HttpServletRequest, @Nullable String> clientIp;

	private volatile String usernameParameter = "username";

	/**
	 * Create the counter.
	 * @param failuresBeforeCaptcha failed logins per username or IP before a CAPTCHA is
	 * required; 0: always
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
	 * Set the username parameter {@link #isCaptchaRequired(HttpServletRequest)} and
	 * {@link #recordFailure(HttpServletRequest)} read. Defaults to {@code username}. The
	 * {@code CaptchaConfigurer} does not change it: each filter chain passes its own
	 * parameter to {@link #isCaptchaRequiredForLogin(HttpServletRequest, String)}, so
	 * that two chains with different login forms do not overwrite each other's.
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
	 * Whether a login from this request must carry a CAPTCHA: its client IP or the
	 * username it submits (if any) failed too often.
	 * @param request the request (a login page view or a login submission)
	 * @return {@code true} if the CAPTCHA is required
	 */
	public boolean isCaptchaRequired(HttpServletRequest request) {
		return isCaptchaRequiredForLogin(request, this.usernameParameter);
	}

	/**
	 * Whether a login from this request must carry a CAPTCHA, reading the username from
	 * the given parameter (the one of the login form the request belongs to).
	 * @param request the request (a login page view or a login submission)
	 * @param usernameParameter the login form's username parameter
	 * @return {@code true} if the CAPTCHA is required
	 */
	public boolean isCaptchaRequiredForLogin(HttpServletRequest request, String usernameParameter) {
		Assert.hasText(usernameParameter, "usernameParameter cannot be empty");
		return isCaptchaRequired(this.clientIp.apply(request), request.getParameter(usernameParameter));
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
		try {
			return (clientIp != null && this.counter.count(ipKey(clientIp)) >= this.failuresBeforeCaptcha)
					|| (username != null && !username.isBlank()
							&& this.counter.count(userKey(username)) >= this.failuresBeforeCaptcha);
		}
		catch (CaptchaStoreException ex) {
			warn(ex, "a CAPTCHA is required for every login until it is back");
			return true;
		}
	}

	/**
	 * Count a failed login.
	 * @param clientIp the client IP, or null
	 * @param username the username, or null
	 */
	public void recordFailure(@Nullable String clientIp, @Nullable String username) {
		try {
			if (clientIp != null) {
				this.counter.increment(ipKey(clientIp), this.window);
			}
			if (username != null && !username.isBlank()) {
				this.counter.increment(userKey(username), this.window);
			}
		}
		catch (CaptchaStoreException ex) {
			warn(ex, "a failed login was not counted");
		}
	}

	/**
	 * Count a failed login of a request.
	 * @param request the login request
	 */
	public void recordFailure(HttpServletRequest request) {
		recordFailedLogin(request, this.usernameParameter);
	}

	/**
	 * Count a failed login of a request, reading the username from the given parameter.
	 * @param request the login request
	 * @param usernameParameter the login form's username parameter
	 */
	public void recordFailedLogin(HttpServletRequest request, String usernameParameter) {
		Assert.hasText(usernameParameter, "usernameParameter cannot be empty");
		recordFailure(this.clientIp.apply(request), request.getParameter(usernameParameter));
	}

	@Override
	public void onApplicationEvent(AbstractAuthenticationEvent event) {
		String username = event.getAuthentication().getName();
		if (event instanceof AbstractAuthenticationFailureEvent) {
			HttpServletRequest request = currentRequest();
			recordFailure((request != null) ? this.clientIp.apply(request) : null, username);
		}
		else if (event instanceof AuthenticationSuccessEvent && username != null && !username.isBlank()) {
			try {
				this.counter.reset(userKey(username));
			}
			catch (CaptchaStoreException ex) {
				warn(ex, "a successful login did not clear its username's failures");
			}
		}
	}

	private void warn(CaptchaStoreException ex, String consequence) {
		long now = System.nanoTime();
		long last = this.lastWarning.get();
		if (now - last >= WARN_INTERVAL_NANOS && this.lastWarning.compareAndSet(last, now)) {
			logger.warn("Failed-login counter unavailable ({}): {}", ex.getMessage(), consequence);
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
