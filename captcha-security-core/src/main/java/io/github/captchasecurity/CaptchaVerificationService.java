package io.github.captchasecurity;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import io.github.captchasecurity.abuse.AbuseSettings;
import io.github.captchasecurity.abuse.FailureCounter;
import io.github.captchasecurity.replay.ReplayCache;
import io.github.captchasecurity.store.CaptchaStoreException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verification engine. For one token and one {@link CaptchaRule} it runs the checks
 * in this order and stops at the first that fails:
 * <ol>
 * <li>with {@linkplain Builder#abuseControl abuse control}: the client IP and account are
 * under the block threshold ({@code captcha_rate_limited}); the attempt is then reserved
 * on the failure counter ({@link FailureCounter#tryAcquire}), so concurrent attempts
 * count while in flight and at most the threshold of one client's verifications are ever
 * in flight or failed in a window;</li>
 * <li>token present ({@code captcha_missing}) and well formed: printable ASCII without
 * quotes, backslashes or angle brackets, no longer than the provider's limit
 * ({@code captcha_malformed});</li>
 * <li>what the verifier can check locally without spending the token
 * ({@link CaptchaVerifier#precheck}: the built-in provider's signature and expiry),
 * before the token takes a replay-cache entry, so forged tokens take none
 * ({@code captcha_invalid}, {@code captcha_expired});</li>
 * <li>not seen before on this server ({@code captcha_replayed}); the provider is not
 * asked. A full replay cache refuses new tokens rather than forget used ones
 * ({@code captcha_replay_cache_full}, 503, with a WARN at most once a minute). Skipped
 * for verifiers in {@linkplain CaptchaVerifier#isTestMode() test mode}, whose test tokens
 * are fixed (as are the hostname and action checks below, whose answers are fixed
 * too);</li>
 * <li>the provider's verdict ({@code captcha_invalid}, {@code captcha_expired},
 * {@code captcha_provider_unavailable}; for the built-in provider also
 * {@code captcha_challenge_type_mismatch} when the token's challenge type is not one the
 * rule accepts); a pass with a score outside 0.0..1.0 is an unusable answer
 * ({@code captcha_provider_unavailable}); {@linkplain CaptchaVerifier#isRemote() remote}
 * verifiers are asked through a bulkhead of
 * {@linkplain Builder#maxConcurrentVerifications(int) bounded} concurrent calls, and the
 * excess is answered {@code captcha_provider_unavailable} at once. A token the verifier
 * did not pass was not spent here: its replay-cache entry is released, so junk tokens
 * cannot fill the cache. For the built-in provider this is exact (its verifier marks a
 * token used only when it passes). For hosted providers, whose siteverify is itself
 * single use, a released token that is sent again is judged by the provider again and
 * rejected again (or, after an outage, judged for the first time); the failure counter
 * bounds such retries. A token the verifier passed keeps its entry even when a later
 * check fails or the route escalates: the provider has redeemed it, and a replay is
 * answered here without asking it;</li>
 * <li>hostname in the provider's allow-list ({@code captcha_hostname_mismatch});</li>
 * <li>action equal to the expected one, ignoring case
 * ({@code captcha_action_mismatch});</li>
 * <li>score at or above the minimum ({@code captcha_low_score}), for providers that
 * score;</li>
 * <li>challenge no older than the maximum age ({@code captcha_expired}) and not solved in
 * the future beyond {@link #CLOCK_SKEW} ({@code captcha_invalid});</li>
 * <li>on routes that escalate: a score below {@code escalateBelow}, a client over the
 * step-up threshold, or a {@link CaptchaDecisionCustomizer} asks for the stronger
 * provider ({@code captcha_escalation_required}).</li>
 * </ol>
 * With abuse control, failed verifications and escalations are counted per client IP and
 * account (a pass, an unavailable provider and a full replay cache give the attempt's
 * reservation back); past the block threshold requests are answered
 * {@code captcha_rate_limited} before anything else; past the step-up threshold routes
 * that escalate ask for their stronger provider. A store (replay cache, failure counter)
 * that throws {@link CaptchaStoreException} makes the verification
 * {@code captcha_store_unavailable}, or a pass when the service is built to
 * {@linkplain Builder#storeFailOpen fail open} on store errors. Raw tokens are never
 * logged: log lines name a token by {@link TokenDigest#shortHash(String)}. Instances are
 * immutable and thread-safe; create them with {@link #builder()}.
 *
 * @since 0.1.0
 */
public final class CaptchaVerificationService {

	private static final Logger logger = LoggerFactory.getLogger(CaptchaVerificationService.class);

	/**
	 * Error code of a result that passed only because its route fails open and the
	 * provider was unavailable.
	 */
	public static final String FAIL_OPEN = "fail-open:provider-unavailable";

	/**
	 * Error code of a result that passed only because the store failed and the service
	 * fails open on store errors.
	 */
	public static final String FAIL_OPEN_STORE = "fail-open:store-unavailable";

	/**
	 * At most one WARN about store failures per this interval; the others are counted
	 * into the next one.
	 */
	private static final long STORE_WARN_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();

	/** The reCAPTCHA widget field, which reCAPTCHA-compatible widgets fill too. */
	/**
	 * Tolerated clock difference between this server and whoever stamped a time (a
	 * provider's challenge time, a pass token's issue time): 5 seconds, for the age check
	 * and for refusing times in the future.
	 */
	public static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

	/**
	 * Default of {@link Builder#maxConcurrentVerifications(int)}, well under a servlet
	 * container's 200 threads.
	 */
	public static final int DEFAULT_MAX_CONCURRENT_VERIFICATIONS = 32;

	/**
	 * Default of {@link Builder#maxWaitForVerification(Duration)}: 25 ms, time enough for
	 * a fast provider's call in flight to end on a loaded machine, short enough that the
	 * threads waiting on a hung provider's permits stay few.
	 * @since 0.1.0
	 */
	public static final Duration DEFAULT_MAX_WAIT_FOR_VERIFICATION = Duration.ofMillis(25);

	/**
	 * Error code of a {@code captcha_provider_unavailable} result whose provider was not
	 * asked because {@link Builder#maxConcurrentVerifications(int)} verifications were in
	 * flight for longer than {@link Builder#maxWaitForVerification(Duration)}: the
	 * application, not the provider, was saturated.
	 * @since 0.1.0
	 */
	public static final String BUSY = "busy:max-concurrent-verifications";

	/**
	 * Error code added to {@link #BUSY} when, besides every slot being taken, no provider
	 * call has ended for 100 ms: the calls in flight are stalled (a hung or very slow
	 * provider), not just many. A servlet filter may then hold the answer back
	 * ({@code CaptchaVerificationFilter#setBusyAnswerDelay}) so that clients retrying at
	 * once do not flood the application while the provider hangs.
	 * @since 0.1.0
	 */
	public static final String STALLED = "busy:provider-stalled";

	/** At most one WARN per this interval about a full replay cache. */
	private static final Duration FULL_WARNING_INTERVAL = Duration.ofMinutes(1);

	private static final long NEVER = Long.MIN_VALUE;

	private final Map<String, ProviderPolicy> providers;

	private final @Nullable String defaultProvider;

	private final ReplayCache replayCache;

	private final ProviderSelection selection;

	private final AbuseControl abuseControl;

	private final ProviderCalls calls;

	private final AnswerChecks checks;

	private final EscalationPolicy escalation;

	private final List<VerificationListener> listeners;

	private final List<VerificationObserver> observers;

	private final boolean storeFailOpen;

	private final AtomicLong lastStoreWarning = new AtomicLong(System.nanoTime() - STORE_WARN_INTERVAL_NANOS);

	private final AtomicLong unloggedStoreFailures = new AtomicLong();

	private final AtomicLong lastFullWarning = new AtomicLong(NEVER);

	private CaptchaVerificationService(Builder builder) {
		this.providers = Map.copyOf(builder.providers);
		this.defaultProvider = builder.defaultProvider;
		this.replayCache = Objects.requireNonNull(builder.replayCache, "replayCache");
		this.listeners = List.copyOf(builder.listeners);
		this.observers = List.copyOf(builder.observers);
		this.storeFailOpen = builder.storeFailOpen;
		this.selection = new ProviderSelection(this.providers, this.defaultProvider);
		this.abuseControl = new AbuseControl(builder.abuse, builder.failureCounter);
		this.calls = new ProviderCalls(builder.maxConcurrentVerifications, builder.maxWaitForVerification,
				builder.providerCallListeners);
		this.checks = new AnswerChecks(builder.clock);
		this.escalation = new EscalationPolicy(builder.escalationChallenges, List.copyOf(builder.decisionCustomizers));
		Checks.requireState(this.defaultProvider == null || this.providers.containsKey(this.defaultProvider),
				"defaultProvider '" + this.defaultProvider + "' is not a configured provider");
	}

	/**
	 * Start building a service.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Return the names of the configured providers.
	 * @return the names
	 */
	public Set<String> providerNames() {
		return this.providers.keySet();
	}

	/**
	 * Return the provider used by rules that do not name one.
	 * @return the name, or null if no provider is configured
	 */
	public @Nullable String defaultProvider() {
		return this.defaultProvider;
	}

	/**
	 * Return the policy of a provider.
	 * @param name the provider name
	 * @return the policy, or null if none has that name
	 */
	public @Nullable ProviderPolicy provider(String name) {
		return this.providers.get(name);
	}

	/**
	 * Return the providers that may verify a rule's tokens (its own, else the default,
	 * and its escalation provider) whose verifiers never report an action
	 * ({@link CaptchaVerifier#reportsActions()}) and are not in test mode (which skips
	 * the action check). A rule that expects an action rejects every token such a
	 * provider verifies, so whatever builds rules refuses the pair at start-up.
	 * @param rule the rule
	 * @return the provider names, in the rule's order; empty when the rule expects no
	 * action or every provider reports one
	 * @since 0.1.0
	 */
	public List<String> providersWithoutActions(CaptchaRule rule) {
		Objects.requireNonNull(rule, "rule");
		if (rule.action() == null) {
			return List.of();
		}
		List<String> names = new ArrayList<>(rule.providers());
		if (names.isEmpty() && this.defaultProvider != null) {
			names.add(this.defaultProvider);
		}
		if (rule.escalateTo() != null && !names.contains(rule.escalateTo())) {
			names.add(rule.escalateTo());
		}
		List<String> without = new ArrayList<>();
		for (String name : names) {
			ProviderPolicy policy = this.providers.get(name);
			if (policy != null && !policy.verifier().reportsActions() && !policy.verifier().isTestMode()) {
				without.add(name);
			}
		}
		return List.copyOf(without);
	}

	/**
	 * Verify a token against a rule.
	 * @param rule what the route asks of the token
	 * @param token the token the client sent, or null if it sent none
	 * @param clientIp the client IP address, or null if unknown
	 * @return the result; {@link VerificationResult#passed()} tells whether the request
	 * may go on
	 * @throws IllegalStateException if the rule names a provider that is not configured
	 */
	public VerificationResult verify(CaptchaRule rule, @Nullable String token, @Nullable String clientIp) {
		return verifyWithContext(rule, token, VerificationContext.ofClientIp(clientIp));
	}

	/**
	 * Verify a token against a rule, with what is known of the request.
	 * @param rule what the route asks of the token
	 * @param token the token the client sent, or null if it sent none
	 * @param context the client IP, User-Agent and where the token was found
	 * @return the result; {@link VerificationResult#passed()} tells whether the request
	 * may go on
	 * @throws IllegalStateException if the rule names a provider that is not configured
	 */
	public VerificationResult verifyWithContext(CaptchaRule rule, @Nullable String token, VerificationContext context) {
		Objects.requireNonNull(rule, "rule");
		Objects.requireNonNull(context, "context");
		ProviderPolicy policy = this.selection.policyFor(rule, context);
		List<VerificationObserver.Scope> scopes = startObservers(rule, policy.name(), context);
		VerificationResult result;
		try {
			result = admitAndDecide(rule, policy, token, context);
		}
		catch (RuntimeException ex) {
			for (VerificationObserver.Scope scope : scopes) {
				try {
					scope.error(ex);
				}
				catch (RuntimeException observerFailure) {
					ex.addSuppressed(observerFailure);
				}
			}
			throw ex;
		}
		for (VerificationObserver.Scope scope : scopes) {
			try {
				scope.stop(result);
			}
			catch (RuntimeException ex) {
				logger.warn("CAPTCHA verification observer {} failed: {}", scope, ex.toString());
			}
		}
		for (VerificationListener listener : this.listeners) {
			try {
				listener.onVerification(rule, result, context);
			}
			catch (RuntimeException ex) {
				logger.warn("CAPTCHA verification listener {} failed: {}", listener, ex.toString());
			}
		}
		return result;
	}

	private List<VerificationObserver.Scope> startObservers(CaptchaRule rule, String provider,
			VerificationContext context) {
		if (this.observers.isEmpty()) {
			return List.of();
		}
		List<VerificationObserver.Scope> scopes = new ArrayList<>(this.observers.size());
		for (VerificationObserver observer : this.observers) {
			try {
				scopes.add(observer.start(rule, provider, context));
			}
			catch (RuntimeException ex) {
				logger.warn("CAPTCHA verification observer {} failed: {}", observer, ex.toString());
			}
		}
		return scopes;
	}

	private VerificationResult admitAndDecide(CaptchaRule rule, ProviderPolicy policy, @Nullable String token,
			VerificationContext context) {
		VerificationResult result;
		try {
			AbuseControl.Admission admission = this.abuseControl.admit(context);
			result = (admission.blockedFor() != null)
					? reject(VerificationResult.of(VerificationOutcome.RATE_LIMITED, policy.name())
						.rateLimited(admission.blockedFor()), token)
					: decide(rule, policy, token, context, admission.stepUp());
			this.abuseControl.settle(admission, result.outcome());
		}
		catch (CaptchaStoreException ex) {
			result = storeUnavailable(policy.name(), ex);
		}
		return result;
	}

	private VerificationResult decide(CaptchaRule rule, ProviderPolicy policy, @Nullable String token,
			VerificationContext context, boolean stepUp) {
		String clientIp = context.clientIp();
		String name = policy.name();
		if (token == null || token.isBlank()) {
			return reject(VerificationResult.of(VerificationOutcome.MISSING, name), null);
		}
		if (!AnswerChecks.isWellFormed(token, policy.maxTokenLength())) {
			return reject(VerificationResult.of(VerificationOutcome.MALFORMED, name), token);
		}
		// the escalation provider is the stronger challenge: the route's score threshold
		// is not its business
		boolean escalationProvider = name.equals(rule.escalateTo());
		Double routeScore = escalationProvider ? null : rule.minScore();
		Double minScore = !policy.scored() ? null : (routeScore != null) ? routeScore : policy.minScore();
		VerificationRequest request = new VerificationRequest(token, clientIp, rule.action(), policy.hostnames(),
				minScore, policy.maxTokenAge(), context.userAgent(), rule.serverChallenge(),
				Set.copyOf(rule.challengeTypesFor(name)));
		boolean replayChecked = !policy.verifier().isTestMode();
		VerificationResult answer;
		VerificationOutcome precheck = this.calls.precheck(policy, request);
		if (precheck != VerificationOutcome.PASSED) {
			// refused locally: no replay-cache entry was taken
			answer = VerificationResult.of(precheck, name);
		}
		else {
			String digest = TokenDigest.sha256Hex(token);
			if (replayChecked) {
				Duration ttl = max(policy.tokenLifetime(), policy.maxTokenAge()).plus(CLOCK_SKEW);
				ReplayCache.Mark mark = this.replayCache.tryMarkUsed(digest, ttl);
				if (mark == ReplayCache.Mark.ALREADY_USED) {
					return reject(VerificationResult.of(VerificationOutcome.REPLAYED, name), token);
				}
				if (mark != ReplayCache.Mark.FIRST_USE) {
					return replayCacheFull(name, token);
				}
			}
			answer = AnswerChecks.usable(this.calls.askBounded(policy, request));
			if (replayChecked && !answer.passed()) {
				// The verifier did not pass the token, so it was not spent here: release
				// its entry, or junk tokens
				// would fill the cache. Built-in tokens are marked used by their verifier
				// only when they pass; a
				// hosted provider that rejected a token (or could not be asked) rejects
				// it again, and the failure
				// counter bounds the retries. A token that passed the verifier keeps its
				// entry even when a later
				// check fails or it is escalated: the provider has redeemed it.
				this.replayCache.forget(digest);
			}
		}
		if (answer.outcome() == VerificationOutcome.REPLAY_CACHE_FULL) {
			// the verifier's own single-use store (the built-in provider's) is full
			return replayCacheFull(name, token);
		}
		if (answer.outcome() == VerificationOutcome.PROVIDER_UNAVAILABLE && rule.failOpen()) {
			logger.warn("CAPTCHA provider '{}' unavailable: token {} let through because the route fails open", name,
					TokenDigest.shortHash(token));
			return VerificationResult.passedBy(name).errorCodes(List.of(FAIL_OPEN)).build();
		}
		VerificationOutcome outcome = answer.passed() ? this.checks.check(request, answer, !replayChecked)
				: answer.outcome();
		// the verifier's facts under the engine's outcome and provider name (never its
		// retry delay or challenge)
		VerificationResult result = VerificationResult.builder(outcome)
			.provider(name)
			.score(answer.score())
			.action(answer.action())
			.hostname(answer.hostname())
			.challengeTimestamp(answer.challengeTimestamp())
			.errorCodes(answer.errorCodes())
			.rawScore(answer.rawScore())
			.build();
		if (!result.passed()) {
			return reject(result, token);
		}
		Map<String, Object> challenge = this.escalation.challengeFor(rule, name, result, context, stepUp);
		if (challenge != null) {
			return reject(result.escalated(challenge), token);
		}
		if (logger.isDebugEnabled()) {
			logger.debug("CAPTCHA token {} verified by provider '{}' (score {}, action {})",
					TokenDigest.shortHash(token), name, result.score(), result.action());
		}
		return result;
	}

	/**
	 * A store failed during the verification: fail closed (503), or pass when configured
	 * to fail open.
	 * @param name the name of the provider being verified
	 * @param ex the store failure
	 * @return a store-unavailable result, or a pass flagged as failed open
	 */
	private VerificationResult storeUnavailable(String name, CaptchaStoreException ex) {
		warnStoreFailure(ex);
		if (this.storeFailOpen) {
			return VerificationResult.passedBy(name).errorCodes(List.of(FAIL_OPEN_STORE)).build();
		}
		return VerificationResult.of(VerificationOutcome.STORE_UNAVAILABLE, name);
	}

	private void warnStoreFailure(CaptchaStoreException ex) {
		long now = System.nanoTime();
		long last = this.lastStoreWarning.get();
		if (now - last < STORE_WARN_INTERVAL_NANOS || !this.lastStoreWarning.compareAndSet(last, now)) {
			this.unloggedStoreFailures.incrementAndGet();
			return;
		}
		long more = this.unloggedStoreFailures.getAndSet(0);
		logger.warn("CAPTCHA store unavailable ({}): verifications {}{}", ex.getMessage(),
				this.storeFailOpen ? "let through (fail open)" : "answered captcha_store_unavailable",
				(more > 0) ? " (" + more + " more since the last warning)" : "");
	}

	private VerificationResult replayCacheFull(String provider, String token) {
		long now = System.nanoTime();
		long last = this.lastFullWarning.get();
		if ((last == NEVER || now - last >= FULL_WARNING_INTERVAL.toNanos())
				&& this.lastFullWarning.compareAndSet(last, now)) {
			logger.warn("CAPTCHA replay cache is full of live tokens: new tokens are refused with 503 "
					+ "captcha_replay_cache_full until entries expire (raise the replay cache's maximum entries, "
					+ "or look for a flood of valid tokens)");
		}
		return reject(VerificationResult.of(VerificationOutcome.REPLAY_CACHE_FULL, provider), token);
	}

	private VerificationResult reject(VerificationResult result, @Nullable String token) {
		if (logger.isDebugEnabled()) {
			logger.debug("CAPTCHA token {} rejected by provider '{}': {} {}",
					(token != null) ? TokenDigest.shortHash(token) : "-", result.provider(), result.outcome().code(),
					result.errorCodes());
		}
		return result;
	}

	private static Duration max(Duration a, Duration b) {
		return (a.compareTo(b) >= 0) ? a : b;
	}

	// Over 300 lines only because of the documented check order above and this public
	// nested Builder (API as
	// CaptchaVerificationService.Builder); the checks live in AbuseControl,
	// ProviderSelection, ProviderCalls,
	// AnswerChecks and EscalationPolicy.

	/**
	 * Builds a {@link CaptchaVerificationService}. Not thread-safe.
	 *
	 * @since 0.1.0
	 */
	public static final class Builder {

		private final Map<String, ProviderPolicy> providers = new LinkedHashMap<>();

		private @Nullable String defaultProvider;

		private @Nullable ReplayCache replayCache;

		private Clock clock = Clock.systemUTC();

		private @Nullable AbuseSettings abuse;

		private @Nullable FailureCounter failureCounter;

		private EscalationChallengeFactory escalationChallenges = (provider, action, context) -> Map.of("provider",
				provider);

		private final List<CaptchaDecisionCustomizer> decisionCustomizers = new ArrayList<>();

		private final List<VerificationListener> listeners = new ArrayList<>();

		private final List<VerificationObserver> observers = new ArrayList<>();

		private final List<ProviderCallListener> providerCallListeners = new ArrayList<>();

		private boolean storeFailOpen;

		private int maxConcurrentVerifications = DEFAULT_MAX_CONCURRENT_VERIFICATIONS;

		private Duration maxWaitForVerification = DEFAULT_MAX_WAIT_FOR_VERIFICATION;

		private Builder() {
		}

		/**
		 * Set what a verification gets when a store (replay cache, failure counter, a
		 * provider's own store) throws {@link CaptchaStoreException}: by default
		 * ({@code false}) it fails closed with {@code captcha_store_unavailable}; with
		 * {@code true} it passes with the error code {@link #FAIL_OPEN_STORE}, and a WARN
		 * is logged (at most one per ten seconds, without tokens).
		 * @param failOpen whether store failures let requests through
		 * @return this builder
		 */
		public Builder storeFailOpen(boolean failOpen) {
			this.storeFailOpen = failOpen;
			return this;
		}

		/**
		 * Set the most verifications by {@linkplain CaptchaVerifier#isRemote() remote}
		 * providers in flight at once, over all providers. Past it a request waits at
		 * most {@link #maxWaitForVerification(Duration)} for one of them to end, then is
		 * answered {@code captcha_provider_unavailable} with the error code
		 * {@link CaptchaVerificationService#BUSY} (the fail-open rule of its route
		 * applies). Defaults to
		 * {@value CaptchaVerificationService#DEFAULT_MAX_CONCURRENT_VERIFICATIONS}.
		 * @param max the bound, at least 1
		 * @return this builder
		 * @throws IllegalArgumentException if {@code max} is less than 1
		 */
		public Builder maxConcurrentVerifications(int max) {
			Checks.requireArgument(max >= 1, "maxConcurrentVerifications must be at least 1");
			this.maxConcurrentVerifications = max;
			return this;
		}

		/**
		 * Set how long a verification waits, holding its thread, for one of the
		 * {@link #maxConcurrentVerifications(int)} verifications in flight to end before
		 * it is turned away. Defaults to
		 * {@link CaptchaVerificationService#DEFAULT_MAX_WAIT_FOR_VERIFICATION}; zero
		 * turns the excess away at once.
		 * @param maxWait the wait, zero or more
		 * @return this builder
		 * @throws IllegalArgumentException if {@code maxWait} is negative
		 * @since 0.1.0
		 */
		public Builder maxWaitForVerification(Duration maxWait) {
			Objects.requireNonNull(maxWait, "maxWait");
			Checks.requireArgument(!maxWait.isNegative(), "maxWaitForVerification cannot be negative");
			this.maxWaitForVerification = maxWait;
			return this;
		}

		/**
		 * Count failed verifications per client IP and account, for step-up and blocking.
		 * Off by default.
		 * @param settings the thresholds and window
		 * @param counter where failures are counted
		 * @return this builder
		 */
		public Builder abuseControl(AbuseSettings settings, FailureCounter counter) {
			this.abuse = Objects.requireNonNull(settings, "settings");
			this.failureCounter = Objects.requireNonNull(counter, "counter");
			return this;
		}

		/**
		 * Set what escalations tell the client to show. Defaults to the provider name
		 * only.
		 * @param factory the factory
		 * @return this builder
		 */
		public Builder escalationChallenges(EscalationChallengeFactory factory) {
			this.escalationChallenges = Objects.requireNonNull(factory, "factory");
			return this;
		}

		/**
		 * Add application risk logic that may turn a pass into an escalation.
		 * @param customizer the customizer
		 * @return this builder
		 */
		public Builder decisionCustomizer(CaptchaDecisionCustomizer customizer) {
			this.decisionCustomizers.add(Objects.requireNonNull(customizer, "customizer"));
			return this;
		}

		/**
		 * Add a listener told about every decision.
		 * @param listener the listener
		 * @return this builder
		 */
		public Builder listener(VerificationListener listener) {
			this.listeners.add(Objects.requireNonNull(listener, "listener"));
			return this;
		}

		/**
		 * Add an observer started before and stopped after every verification.
		 * @param observer the observer
		 * @return this builder
		 */
		public Builder observer(VerificationObserver observer) {
			this.observers.add(Objects.requireNonNull(observer, "observer"));
			return this;
		}

		/**
		 * Add a listener told about every call to a remote provider.
		 * @param listener the listener
		 * @return this builder
		 */
		public Builder providerCallListener(ProviderCallListener listener) {
			this.providerCallListeners.add(Objects.requireNonNull(listener, "listener"));
			return this;
		}

		/**
		 * Add a provider. The first one added is the default unless
		 * {@link #defaultProvider(String)} says otherwise.
		 * @param policy the provider
		 * @return this builder
		 * @throws IllegalStateException if a provider with the same name was added
		 * already
		 */
		public Builder provider(ProviderPolicy policy) {
			Objects.requireNonNull(policy, "policy");
			Checks.requireState(!this.providers.containsKey(policy.name()),
					"provider '" + policy.name() + "' was already added");
			this.providers.put(policy.name(), policy);
			if (this.defaultProvider == null) {
				this.defaultProvider = policy.name();
			}
			return this;
		}

		/**
		 * Set the provider used by rules that name none. Defaults to the first provider
		 * added.
		 * @param name the provider name
		 * @return this builder
		 */
		public Builder defaultProvider(String name) {
			this.defaultProvider = Objects.requireNonNull(name, "name");
			return this;
		}

		/**
		 * Set the replay cache. Required.
		 * @param replayCache the cache
		 * @return this builder
		 */
		public Builder replayCache(ReplayCache replayCache) {
			this.replayCache = Objects.requireNonNull(replayCache, "replayCache");
			return this;
		}

		/**
		 * Set the clock used for the challenge age check. Defaults to the system UTC
		 * clock.
		 * @param clock the clock
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock, "clock");
			return this;
		}

		/**
		 * Build the service.
		 * @return the service
		 * @throws IllegalStateException if no replay cache is set or the default provider
		 * is unknown
		 */
		public CaptchaVerificationService build() {
			Checks.requireState(this.replayCache != null, "replayCache is required");
			return new CaptchaVerificationService(this);
		}

	}

}
