package io.github.captchasecurity.servlet;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.CaptchaVerificationException;
import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.VerificationContext;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationResult;
import io.github.captchasecurity.clientip.ClientIpResolver;
import io.github.captchasecurity.token.CaptchaTokenResolver;
import io.github.captchasecurity.token.ResolvedToken;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces CAPTCHA verification before protected handlers run. For each request the
 * {@link CaptchaRuleResolver} decides whether it is protected; if so the
 * {@link CaptchaTokenResolver} finds the token, the {@link CaptchaVerificationService}
 * checks it, and the request either goes on (with the {@link VerificationResult} in the
 * request attribute {@link #RESULT_ATTRIBUTE}, and what it was verified for in
 * {@link #VERIFIED_ATTRIBUTE}) or is answered by the {@link CaptchaFailureHandler}
 * without the chain ever running. A later stage that finds out what the request really
 * reaches (such as a Spring MVC interceptor, once other filters have rewritten the path)
 * can verify it there with {@link #verify}; for that, requests with a body that the
 * filter lets through unverified can still have their body read for a token without
 * taking it away from the handler.
 * <p>
 * A request is verified once: forwards and includes of a request that already passed are
 * not checked again, error and async dispatches are never checked, and CORS preflight
 * requests (which never reach a handler) pass untouched. So do requests whose HTTP method
 * no rule applies to ({@link CaptchaRuleResolver#mayProtect(String)}): they are neither
 * resolved nor wrapped, so open routes cost a method comparison.
 *
 * @since 0.1.0
 */
public final class CaptchaVerificationFilter implements Filter {

	/**
	 * Request attribute holding the {@link VerificationResult} of a request that passed.
	 */
	public static final String RESULT_ATTRIBUTE = CaptchaVerificationFilter.class.getName() + ".RESULT";

	/**
	 * Request attribute holding the {@link VerifiedRequest} of a request that passed: the
	 * rule, method and URI it was verified for.
	 */
	public static final String VERIFIED_ATTRIBUTE = CaptchaVerificationFilter.class.getName() + ".VERIFIED";

	/**
	 * Header naming the provider that issued the token, on routes that accept several
	 * providers.
	 */
	public static final String PROVIDER_HEADER = "X-Captcha-Provider";

	private static final Logger logger = LoggerFactory.getLogger(CaptchaVerificationFilter.class);

	private final CaptchaRuleResolver ruleResolver;

	private final CaptchaTokenResolver tokenResolver;

	private final CaptchaVerificationService verificationService;

	private CaptchaFailureHandler failureHandler = new ProblemDetailCaptchaFailureHandler();

	private ClientIpResolver clientIpResolver = HttpServletRequest::getRemoteAddr;

	private Function<HttpServletRequest, @Nullable String> accountResolver = (request) -> null;

	private long busyAnswerDelayMillis;

	private @Nullable ScheduledThreadPoolExecutor busyAnswers;

	/**
	 * Create a filter.
	 * @param ruleResolver decides which requests are protected
	 * @param tokenResolver finds the token
	 * @param verificationService checks the token
	 */
	public CaptchaVerificationFilter(CaptchaRuleResolver ruleResolver, CaptchaTokenResolver tokenResolver,
			CaptchaVerificationService verificationService) {
		this.ruleResolver = Objects.requireNonNull(ruleResolver, "ruleResolver");
		this.tokenResolver = Objects.requireNonNull(tokenResolver, "tokenResolver");
		this.verificationService = Objects.requireNonNull(verificationService, "verificationService");
	}

	/**
	 * Set how rejections are answered. Defaults to
	 * {@link ProblemDetailCaptchaFailureHandler}.
	 * @param failureHandler the handler
	 */
	public void setFailureHandler(CaptchaFailureHandler failureHandler) {
		this.failureHandler = Objects.requireNonNull(failureHandler, "failureHandler");
	}

	/**
	 * Set how the client IP sent to providers is found. Defaults to the socket peer
	 * ({@link HttpServletRequest#getRemoteAddr()}).
	 * @param clientIpResolver the resolver
	 */
	public void setClientIpResolver(ClientIpResolver clientIpResolver) {
		this.clientIpResolver = Objects.requireNonNull(clientIpResolver, "clientIpResolver");
	}

	/**
	 * Set how the account a request acts for is found (such as the username parameter of
	 * a login form), so that failures are also counted per account. Defaults to none.
	 * @param accountResolver the function
	 */
	public void setAccountResolver(Function<HttpServletRequest, @Nullable String> accountResolver) {
		this.accountResolver = Objects.requireNonNull(accountResolver, "accountResolver");
	}

	/**
	 * Set how long the answer to a request is held back when the provider was not asked
	 * because every allowed verification was in flight and none had ended for a while
	 * ({@link CaptchaVerificationService#STALLED}: the provider hangs or crawls; while it
	 * answers, a full bulkhead is answered at once): the request is put in asynchronous
	 * mode, so no servlet thread waits, and answered by the failure handler once the
	 * delay is over. Clients that send again as soon as they are answered then cannot
	 * turn a hung provider into a flood of instant 503 answers that takes the CPU from
	 * every other route. Zero (the default) answers at once, and so do requests that do
	 * not support asynchronous mode.
	 * @param delay the delay, zero or more
	 * @since 0.1.0
	 */
	public void setBusyAnswerDelay(Duration delay) {
		Objects.requireNonNull(delay, "delay");
		if (delay.isNegative()) {
			throw new IllegalArgumentException("delay cannot be negative");
		}
		this.busyAnswerDelayMillis = delay.toMillis();
	}

	@Override
	public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
			throws IOException, ServletException {
		if (!(servletRequest instanceof HttpServletRequest request)
				|| !(servletResponse instanceof HttpServletResponse response) || skip(request)) {
			chain.doFilter(servletRequest, servletResponse);
			return;
		}
		String method = request.getMethod();
		if (method != null && !this.ruleResolver.mayProtect(method)) {
			// no rule applies to this method on any path, even after a rewrite: nothing
			// to resolve, and nothing a later verification would need the body for
			chain.doFilter(request, response);
			return;
		}
		CaptchaRule rule = this.ruleResolver.resolve(request);
		if (rule == null) {
			if (logger.isTraceEnabled()) {
				logger.trace("No CAPTCHA required for {} {}", request.getMethod(), request.getRequestURI());
			}
			chain.doFilter(DeferredBodyRequest.wrap(request), response);
			return;
		}
		HttpServletRequest passOn = verify(request, response, rule, true);
		if (passOn != null) {
			chain.doFilter(passOn, response);
		}
	}

	@Override
	public void destroy() {
		ScheduledThreadPoolExecutor timer;
		synchronized (this) {
			timer = this.busyAnswers;
			this.busyAnswers = null;
		}
		if (timer != null) {
			timer.shutdown();
		}
	}

	/**
	 * Verify a request against a rule: find the token, check it, and either mark the
	 * request as verified or answer it with the failure handler. For checks outside the
	 * filter chain, such as a Spring MVC interceptor; the caller decides that the request
	 * needs the rule.
	 * @param request the request
	 * @param response the response
	 * @param rule the rule the request needs
	 * @return the request to go on with (the same request, or a wrapper whose body can be
	 * read again), marked with {@link #RESULT_ATTRIBUTE} and {@link #VERIFIED_ATTRIBUTE};
	 * or null if the request was rejected and the response written
	 * @throws IOException if the body cannot be read or the rejection cannot be written
	 * @throws ServletException if the failure handler fails
	 */
	public @Nullable HttpServletRequest verify(HttpServletRequest request, HttpServletResponse response,
			CaptchaRule rule) throws IOException, ServletException {
		return verify(request, response, rule, false);
	}

	private @Nullable HttpServletRequest verify(HttpServletRequest request, HttpServletResponse response,
			CaptchaRule rule, boolean mayDefer) throws IOException, ServletException {
		Objects.requireNonNull(rule, "rule");
		VerificationResult result;
		HttpServletRequest passOn;
		try {
			ResolvedToken resolved = this.tokenResolver.resolve(request);
			passOn = resolved.request();
			if (passOn != request) {
				DeferredBodyRequest.readBodyFrom(request, passOn);
			}
			VerificationContext context = new VerificationContext(this.clientIpResolver.apply(request),
					request.getHeader("User-Agent"), resolved.fields(), request.getHeader(PROVIDER_HEADER),
					this.accountResolver.apply(resolved.request()));
			result = this.verificationService.verifyWithContext(rule, resolved.token(), context);
		}
		catch (CaptchaVerificationException ex) {
			reject(request, response, ex);
			return null;
		}
		if (!result.passed()) {
			CaptchaVerificationException rejection = new CaptchaVerificationException(result);
			if (!mayDefer || !isStalled(result) || !deferBusyAnswer(request, response, rejection)) {
				reject(request, response, rejection);
			}
			return null;
		}
		passOn.setAttribute(RESULT_ATTRIBUTE, result);
		passOn.setAttribute(VERIFIED_ATTRIBUTE, new VerifiedRequest(rule, String.valueOf(request.getMethod()),
				String.valueOf(request.getRequestURI())));
		return passOn;
	}

	private static boolean isStalled(VerificationResult result) {
		return result.outcome() == VerificationOutcome.PROVIDER_UNAVAILABLE
				&& result.errorCodes().contains(CaptchaVerificationService.STALLED);
	}

	private boolean deferBusyAnswer(HttpServletRequest request, HttpServletResponse response,
			CaptchaVerificationException rejection) {
		long delay = this.busyAnswerDelayMillis;
		if (delay <= 0 || request.getDispatcherType() != DispatcherType.REQUEST || !request.isAsyncSupported()
				|| request.isAsyncStarted()) {
			return false;
		}
		AsyncContext async;
		try {
			async = request.startAsync(request, response);
		}
		catch (IllegalStateException ex) {
			return false;
		}
		// the container's own timeout must not answer first
		async.setTimeout(delay + TimeUnit.SECONDS.toMillis(30));
		busyAnswers().schedule(() -> answerLater(async, request, response, rejection), delay, TimeUnit.MILLISECONDS);
		return true;
	}

	private void answerLater(AsyncContext async, HttpServletRequest request, HttpServletResponse response,
			CaptchaVerificationException rejection) {
		try {
			reject(request, response, rejection);
		}
		catch (IOException | ServletException | RuntimeException ex) {
			// the client went away while it waited: nothing left to answer
			logger.debug("CAPTCHA busy answer not delivered: {}", ex.toString());
		}
		finally {
			try {
				async.complete();
			}
			catch (IllegalStateException ex) {
				// already completed by the container (client gone, container stopping)
			}
		}
	}

	private synchronized ScheduledThreadPoolExecutor busyAnswers() {
		if (this.busyAnswers == null) {
			ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, (runnable) -> {
				Thread thread = new Thread(runnable, "captcha-busy-answers");
				thread.setDaemon(true);
				return thread;
			});
			this.busyAnswers = timer;
		}
		return this.busyAnswers;
	}

	private boolean skip(HttpServletRequest request) {
		DispatcherType type = request.getDispatcherType();
		if (type == DispatcherType.ERROR || type == DispatcherType.ASYNC) {
			return true;
		}
		if (request.getAttribute(RESULT_ATTRIBUTE) != null) {
			return true;
		}
		return "OPTIONS".equals(request.getMethod()) && request.getHeader("Origin") != null
				&& request.getHeader("Access-Control-Request-Method") != null;
	}

	private void reject(HttpServletRequest request, HttpServletResponse response, CaptchaVerificationException ex)
			throws IOException, ServletException {
		if (logger.isDebugEnabled()) {
			logger.debug("CAPTCHA check failed for {} {}: {}", request.getMethod(), request.getRequestURI(),
					ex.getOutcome().code());
		}
		this.failureHandler.onFailure(request, response, ex);
	}

}
