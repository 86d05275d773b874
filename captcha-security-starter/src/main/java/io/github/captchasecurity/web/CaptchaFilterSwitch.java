package io.github.captchasecurity.web;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.util.Assert;

/**
 * Decides, per request, whether the standalone servlet registration of the CAPTCHA filter
 * verifies it. It does by default. A Spring Security configurer that verifies inside a
 * filter chain hands over the requests that chain serves, so that no token is verified
 * twice; requests served by other chains (or by none) are still verified by the
 * standalone filter.
 *
 * @since 0.1.0
 */
public final class CaptchaFilterSwitch {

	private final List<Predicate<HttpServletRequest>> handedOver = new CopyOnWriteArrayList<>();

	/**
	 * Whether the standalone filter verifies every request (no security filter chain took
	 * any over).
	 * @return {@code true} unless a security configurer is in use
	 */
	public boolean isStandalone() {
		return this.handedOver.isEmpty();
	}

	/**
	 * Whether a security filter chain verifies this request, so the standalone filter
	 * must not.
	 * @param request the request
	 * @return {@code true} if a configurer's filter chain serves it
	 */
	public boolean isHandledBySecurityFilterChain(HttpServletRequest request) {
		for (Predicate<HttpServletRequest> predicate : this.handedOver) {
			if (predicate.test(request)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Hand the requests a security filter chain serves over to it.
	 * @param servedBySecurityFilterChain tells whether the chain with the configurer's
	 * filter serves a request
	 */
	public void handOverToSecurityFilterChain(Predicate<HttpServletRequest> servedBySecurityFilterChain) {
		Assert.notNull(servedBySecurityFilterChain, "servedBySecurityFilterChain cannot be null");
		this.handedOver.add(servedBySecurityFilterChain);
	}

}
