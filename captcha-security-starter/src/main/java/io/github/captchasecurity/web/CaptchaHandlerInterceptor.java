package io.github.captchasecurity.web;

import java.util.List;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.annotation.RequireCaptchaRuleResolver;
import io.github.captchasecurity.servlet.CaptchaRuleResolver;
import io.github.captchasecurity.servlet.CaptchaVerificationFilter;
import io.github.captchasecurity.servlet.VerifiedRequest;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Defence in depth behind the CAPTCHA filter: just before a handler method runs, asks
 * what the handler requires (its
 * {@link io.github.captchasecurity.annotation.RequireCaptcha @RequireCaptcha}, else the
 * first {@link CaptchaRuleResolver} that matches the request as Spring MVC sees it, after
 * every filter has rewritten it) and checks that this request was verified for it
 * ({@link VerifiedRequest}). A request that was not (a filter ordered after ours rewrote
 * {@code /api/signup/} to {@code /api/signup}, or the request was forwarded past the
 * filter) is verified here, by the same engine, token resolution and failure handler; a
 * request rewritten to a handler that requires another rule than the one verified is
 * verified again for it. A request the filter verified and that still has the method and
 * URI the filter saw is not verified twice, nor is a forward, include or async dispatch
 * of a request verified for the same rule.
 *
 * @since 0.1.0
 */
public final class CaptchaHandlerInterceptor implements HandlerInterceptor {

	private static final Logger logger = LoggerFactory.getLogger(CaptchaHandlerInterceptor.class);

	private final List<CaptchaRuleResolver> ruleResolvers;

	private final CaptchaVerificationFilter verifier;

	/**
	 * Create the interceptor.
	 * @param ruleResolvers the rule resolvers, in the order the filter asks them; a
	 * {@link RequireCaptchaRuleResolver} among them is asked for the handler method
	 * instead of the request
	 * @param verifier verifies requests that were not verified for the handler's rule
	 */
	public CaptchaHandlerInterceptor(List<CaptchaRuleResolver> ruleResolvers, CaptchaVerificationFilter verifier) {
		Assert.notNull(ruleResolvers, "ruleResolvers cannot be null");
		Assert.notNull(verifier, "verifier cannot be null");
		this.ruleResolvers = List.copyOf(ruleResolvers);
		this.verifier = verifier;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
			throws Exception {
		if (!(handler instanceof HandlerMethod handlerMethod) || request.getDispatcherType() == DispatcherType.ERROR) {
			return true;
		}
		VerifiedRequest verified = VerifiedRequest.of(request);
		if (verified != null && verified.isFor(request)) {
			// the filter verified this very method and URI, so whatever rule the handler
			// needs, it was checked with the same resolvers: nothing to resolve again
			return true;
		}
		CaptchaRule required = requiredRule(request, handlerMethod);
		if (required == null) {
			return true;
		}
		if (verified != null && verified.covers(request, required)) {
			return true;
		}
		if (logger.isDebugEnabled()) {
			logger.debug("{} {} reached {} without a verification for its rule: verifying it here", request.getMethod(),
					request.getRequestURI(), handlerMethod.getShortLogMessage());
		}
		return this.verifier.verify(request, response, required) != null;
	}

	private @Nullable CaptchaRule requiredRule(HttpServletRequest request, HandlerMethod handlerMethod) {
		String method = request.getMethod();
		for (CaptchaRuleResolver resolver : this.ruleResolvers) {
			if (method != null && !resolver.mayProtect(method)) {
				continue;
			}
			CaptchaRule rule = (resolver instanceof RequireCaptchaRuleResolver annotations)
					? annotations.resolve(handlerMethod) : resolver.resolve(request);
			if (rule != null) {
				return rule;
			}
		}
		return null;
	}

}
