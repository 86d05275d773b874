package io.github.captchasecurity.servlet;

import io.github.captchasecurity.CaptchaRule;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a request needs a verified CAPTCHA token, and with which rule.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface CaptchaRuleResolver {

	/**
	 * Find the rule for a request.
	 * @param request the request
	 * @return the rule, or null if the request is not protected
	 */
	@Nullable CaptchaRule resolve(HttpServletRequest request);

	/**
	 * Combine resolvers: the first that returns a rule wins.
	 * @param resolvers the resolvers, in order
	 * @return the combined resolver
	 */
	static CaptchaRuleResolver firstOf(CaptchaRuleResolver... resolvers) {
		CaptchaRuleResolver[] copy = resolvers.clone();
		return (request) -> {
			for (CaptchaRuleResolver resolver : copy) {
				CaptchaRule rule = resolver.resolve(request);
				if (rule != null) {
					return rule;
				}
			}
			return null;
		};
	}

}
