package io.github.captchasecurity.web;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.util.Assert;

/**
 * The servlet-container registration of the CAPTCHA filter: delegates to it unless the
 * {@link CaptchaFilterSwitch} says a Spring Security filter chain verifies the request.
 * When it does verify, the security chain's filter sees the request as verified and does
 * not verify it again.
 *
 * @since 0.1.0
 */
public final class StandaloneCaptchaFilter implements Filter {

	private final Filter delegate;

	private final CaptchaFilterSwitch filterSwitch;

	/**
	 * Create the filter.
	 * @param delegate the CAPTCHA verification filter
	 * @param filterSwitch the switch
	 */
	public StandaloneCaptchaFilter(Filter delegate, CaptchaFilterSwitch filterSwitch) {
		Assert.notNull(delegate, "delegate cannot be null");
		Assert.notNull(filterSwitch, "filterSwitch cannot be null");
		this.delegate = delegate;
		this.filterSwitch = filterSwitch;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (request instanceof HttpServletRequest http && this.filterSwitch.isHandledBySecurityFilterChain(http)) {
			chain.doFilter(request, response);
		}
		else {
			this.delegate.doFilter(request, response, chain);
		}
	}

	@Override
	public void destroy() {
		// the delegate's timer for held-back answers, if it started one
		this.delegate.destroy();
	}

}
