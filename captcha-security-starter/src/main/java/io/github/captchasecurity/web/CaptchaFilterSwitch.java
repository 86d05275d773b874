package io.github.captchasecurity.web;

/**
 * Decides whether the standalone servlet registration of the CAPTCHA filter runs. It does by default; the Spring
 * Security configurer turns it off, because it then verifies the same routes inside the security filter chain, so
 * that no token is verified twice.
 *
 * @since 0.1.0
 */
public final class CaptchaFilterSwitch {

	private volatile boolean standalone = true;

	/**
	 * Whether the standalone filter verifies requests.
	 * @return {@code true} unless a security configurer took over
	 */
	public boolean isStandalone() {
		return this.standalone;
	}

	/**
	 * Hand verification over to the Spring Security filter chain.
	 */
	public void handOverToSecurityFilterChain() {
		this.standalone = false;
	}

}
