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
	 * Whether this resolver may return a rule for some request with this HTTP method,
	 * whatever its path, even after a later filter rewrote the path. Asked on every
	 * request before anything else, so it must be cheap and allocate nothing: the filter
	 * and the handler interceptor pass requests whose method no resolver may protect
	 * straight on, without resolving, reading or wrapping them. Returning {@code true} is
	 * always safe; the default does.
	 * @param method the request's HTTP method, as sent (compare ignoring case)
	 * @return {@code false} only if {@link #resolve} returns null for every request with
	 * this method
	 * @since 0.1.0
	 */
	default boolean mayProtect(String method) {
		return true;
	}

	/**
	 * Combine resolvers: the first that returns a rule wins; a method may be protected if
	 * any of them may protect it.
	 * @param resolvers the resolvers, in order
	 * @return the combined resolver
	 */
	static CaptchaRuleResolver firstOf(CaptchaRuleResolver... resolvers) {
		CaptchaRuleResolver[] copy = resolvers.clone();
		return new CaptchaRuleResolver() {

			@Override
			public @Nullable CaptchaRule resolve(HttpServletRequest request) {
				for (CaptchaRuleResolver resolver : copy) {
					CaptchaRule rule = resolver.resolve(request);
					if (rule != null) {
						return rule;
					}
				}
				return null;
			}

			@Override
			public boolean mayProtect(String method) {
				for (CaptchaRuleResolver resolver : copy) {
					if (resolver.mayProtect(method)) {
						return true;
					}
				}
				return false;
			}

		};
	}

}
