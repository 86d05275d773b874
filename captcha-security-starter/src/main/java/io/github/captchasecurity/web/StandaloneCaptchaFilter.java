package io.github.captchasecurity.web;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

import org.springframework.util.Assert;

/**
 * The servlet-container registration of the CAPTCHA filter: delegates to it unless the {@link CaptchaFilterSwitch}
 * says the Spring Security filter chain does the verification.
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
		if (this.filterSwitch.isStandalone()) {
			this.delegate.doFilter(request, response, chain);
		}
		else {
			chain.doFilter(request, response);
		}
	}

}
