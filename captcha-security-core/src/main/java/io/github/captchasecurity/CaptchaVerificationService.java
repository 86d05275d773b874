package io.github.captchasecurity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.github.captchasecurity.abuse.AbuseSettings;
import io.github.captchasecurity.abuse.FailureCounter;
import io.github.captchasecurity.replay.ReplayCache;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verification engine. For one token and one {@link CaptchaRule} it runs the checks in this order and
 * stops at the first that fails:
 * <ol>
 * <li>token present ({@code captcha_missing}) and well formed: printable ASCII without quotes, backslashes or
 * angle brackets, no longer than the provider's limit ({@code captcha_malformed});</li>
 * <li>not seen before on this server ({@code captcha_replayed}); the provider is not asked. Skipped for verifiers in
 * {@linkplain CaptchaVerifier#isTestMode() test mode}, whose test tokens are fixed (as are the hostname and action
 * checks below, whose answers are fixed too);</li>
 * <li>the provider's verdict ({@code captcha_invalid}, {@code captcha_expired},
 * {@code captcha_provider_unavailable}; for the built-in provider also {@code captcha_challenge_type_mismatch} when
 * the token's challenge type is not one the rule accepts);</li>
 * <li>hostname in the provider's allow-list ({@code captcha_hostname_mismatch});</li>
 * <li>action equal to the expected one, ignoring case ({@code captcha_action_mismatch});</li>
 * <li>score at or above the minimum ({@code captcha_low_score}), for providers that score;</li>
 * <li>challenge no older than the maximum age ({@code captcha_expired});</li>
 * <li>on routes that escalate: a score below {@code escalateBelow}, a client over the step-up threshold, or a
 * {@link CaptchaDecisionCustomizer} asks for the stronger provider ({@code captcha_escalation_required}).</li>
 * </ol>
 * With {@linkplain Builder#abuseControl abuse control}, failed verifications are counted per client IP and
 * account; past the block threshold requests are answered {@code captcha_rate_limited} before anything else.
 * Raw tokens are never logged: log lines name a token by {@link TokenDigest#shortHash(String)}. Instances are
 * immutable and thread-safe; create them with {@link #builder()}.
 *
 * @since 0.1.0
 */
public final class CaptchaVerificationService {

	private static final Logger logger = LoggerFactory.getLogger(CaptchaVerificationService.class);

	/**
	 * Error code of a result that passed only because its route fails open and the provider was unavailable.
	 */
	public static final String FAIL_OPEN = "fail-open:provider-unavailable";

	/** The reCAPTCHA widget field, which reCAPTCHA-compatible widgets fill too. */
	private static final String RECAPTCHA_COMPAT_FIELD = "g-recaptcha-response";

	/**
	 * Tolerated clock difference between this server and the provider (or another instance) for time checks: the
	 * challenge age here, the issue and expiry times of built-in pass tokens.
	 */
	public static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

	private final Map<String, ProviderPolicy> providers;

	private final @Nullable String defaultProvider;

	private final ReplayCache replayCache;

	private final Clock clock;

	private final @Nullable AbuseSettings abuse;

	private final @Nullable FailureCounter failureCounter;

	private final EscalationChallengeFactory escalationChallenges;

	private final List<CaptchaDecisionCustomizer> decisionCustomizers;

	private final List<VerificationListener> listeners;

	private CaptchaVerificationService(Builder builder) {
		this.providers = Map.copyOf(builder.providers);
		this.defaultProvider = builder.defaultProvider;
		this.replayCache = Objects.requireNonNull(builder.replayCache, "replayCache");
		this.clock = builder.clock;
		this.abuse = builder.abuse;
		this.failureCounter = builder.failureCounter;
		this.escalationChallenges = builder.escalationChallenges;
		this.decisionCustomizers = List.copyOf(builder.decisionCustomizers);
		this.listeners = List.copyOf(builder.listeners);
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
	 * Verify a token against a rule.
	 * @param rule what the route asks of the token
	 * @param token the token the client sent, or null if it sent none
	 * @param clientIp the client IP address, or null if unknown
	 * @return the result; {@link VerificationResult#passed()} tells whether the request may go on
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
	 * @return the result; {@link VerificationResult#passed()} tells whether the request may go on
	 * @throws IllegalStateException if the rule names a provider that is not configured
	 */
	public VerificationResult verifyWithContext(CaptchaRule rule, @Nullable String token, VerificationContext context) {
		Objects.requireNonNull(rule, "rule");
		Objects.requireNonNull(context, "context");
		VerificationResult result = decide(rule, token, context);
		if (this.failureCounter != null && this.abuse != null && countsAsFailure(result.outcome())) {
			for (String key : abuseKeys(context)) {
				this.failureCounter.increment(key, this.abuse.window());
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

	private VerificationResult decide(CaptchaRule rule, @Nullable String token, VerificationContext context) {
		String clientIp = context.clientIp();
		ProviderPolicy policy = policyFor(rule, context);
		String name = policy.name();
		boolean stepUp = false;
		Duration blockedFor = null;
		if (this.failureCounter != null && this.abuse != null) {
			for (String key : abuseKeys(context)) {
				long failures = this.failureCounter.count(key);
				if (this.abuse.blockAfter() > 0 && failures >= this.abuse.blockAfter()) {
					// blocked on several keys (IP and account): wait for the last block to end
					Duration wait = this.failureCounter.remaining(key);
					blockedFor = (blockedFor == null || wait.compareTo(blockedFor) > 0) ? wait : blockedFor;
				}
				stepUp |= this.abuse.stepUpAfter() > 0 && failures >= this.abuse.stepUpAfter();
			}
		}
		if (blockedFor != null) {
			return reject(VerificationResult.of(VerificationOutcome.RATE_LIMITED, name)
				.rateLimited(blockedFor.isZero() ? Duration.ofSeconds(1) : blockedFor), token);
		}
		if (token == null || token.isBlank()) {
			return reject(VerificationResult.of(VerificationOutcome.MISSING, name), null);
		}
		if (!isWellFormed(token, policy.maxTokenLength())) {
			return reject(VerificationResult.of(VerificationOutcome.MALFORMED, name), token);
		}
		String digest = TokenDigest.sha256Hex(token);
		Duration ttl = max(policy.tokenLifetime(), policy.maxTokenAge()).plus(CLOCK_SKEW);
		boolean replayChecked = !policy.verifier().isTestMode();
		if (replayChecked && !this.replayCache.markUsed(digest, ttl)) {
			return reject(VerificationResult.of(VerificationOutcome.REPLAYED, name), token);
		}
		// the escalation provider is the stronger challenge: the route's score threshold is not its business
		boolean escalationProvider = name.equals(rule.escalateTo());
		Double routeScore = escalationProvider ? null : rule.minScore();
		Double minScore = !policy.scored() ? null : (routeScore != null) ? routeScore : policy.minScore();
		VerificationRequest request = new VerificationRequest(token, clientIp, rule.action(), policy.hostnames(),
				minScore, policy.maxTokenAge(), context.userAgent(), rule.serverChallenge(),
				Set.copyOf(rule.challengeTypesFor(name)));
		VerificationResult answer = ask(policy, request);
		if (answer.outcome() == VerificationOutcome.PROVIDER_UNAVAILABLE) {
			// the provider never judged the token: let the client retry with it
			if (replayChecked) {
				this.replayCache.forget(digest);
			}
			if (rule.failOpen()) {
				logger.warn("CAPTCHA provider '{}' unavailable: token {} let through because the route fails open",
						name, TokenDigest.shortHash(token));
				return new VerificationResult(VerificationOutcome.PASSED, name, null, null, null, null,
						List.of(FAIL_OPEN), null);
			}
		}
		VerificationOutcome outcome = answer.passed() ? check(request, answer, !replayChecked) : answer.outcome();
		VerificationResult result = new VerificationResult(outcome, name, answer.score(), answer.action(),
				answer.hostname(), answer.challengeTimestamp(), answer.errorCodes(), answer.rawScore());
		if (!result.passed()) {
			return reject(result, token);
		}
		String escalateTo = rule.escalateTo();
		if (escalateTo != null && !escalateTo.equals(name)) {
			String reason = null;
			if (stepUp) {
				reason = "step-up";
			}
			else if (rule.escalateBelow() != null && result.score() != null && result.score() < rule.escalateBelow()) {
				reason = "score";
			}
			else if (this.decisionCustomizers.stream()
				.anyMatch((customizer) -> customizer.requireEscalation(rule, result, context))) {
				reason = "policy";
			}
			if (reason != null) {
				List<String> types = rule.challengeTypesFor(escalateTo);
				Map<String, Object> challenge = new LinkedHashMap<>(
						this.escalationChallenges.challenge(escalateTo, rule.action(), types, context));
				challenge.putIfAbsent("provider", escalateTo);
				if (!types.isEmpty()) {
					// the retry must be of one of these types: anything else is captcha_challenge_type_mismatch
					challenge.put("challenge_types", types);
				}
				challenge.put("reason", reason);
				challenge.put("provider_header", "X-Captcha-Provider");
				return reject(result.escalated(challenge), token);
			}
		}
		if (logger.isDebugEnabled()) {
			logger.debug("CAPTCHA token {} verified by provider '{}' (score {}, action {})",
					TokenDigest.shortHash(token), name, result.score(), result.action());
		}
		return result;
	}

	private static boolean countsAsFailure(VerificationOutcome outcome) {
		return !outcome.passed() && outcome != VerificationOutcome.PROVIDER_UNAVAILABLE
				&& outcome != VerificationOutcome.RATE_LIMITED && outcome != VerificationOutcome.ESCALATION_REQUIRED;
	}

	/** The keys failures are counted under: the client IP and, when known, the account. */
	static List<String> abuseKeys(VerificationContext context) {
		List<String> keys = new java.util.ArrayList<>(2);
		if (context.clientIp() != null) {
			keys.add("ip:" + context.clientIp());
		}
		if (context.account() != null && !context.account().isBlank()) {
			keys.add("account:" + context.account().trim().toLowerCase(Locale.ROOT));
		}
		return keys;
	}

	private ProviderPolicy policyFor(CaptchaRule rule, VerificationContext context) {
		List<String> accepted = rule.providers();
		if (rule.escalateTo() != null && !accepted.contains(rule.escalateTo())) {
			accepted = new java.util.ArrayList<>(accepted.isEmpty() && this.defaultProvider != null
					? List.of(this.defaultProvider) : accepted);
			accepted.add(rule.escalateTo());
		}
		if (accepted.size() > 1) {
			// a provider the client names wins, if the route accepts it
			String hint = context.providerHint();
			if (hint != null && accepted.contains(hint) && this.providers.containsKey(hint)) {
				return this.providers.get(hint);
			}
			ProviderPolicy byField = null;
			for (String candidate : accepted) {
				ProviderPolicy policy = this.providers.get(candidate);
				if (policy != null && policy.formField() != null && context.tokenFields().contains(policy.formField())) {
					// drop-in widgets (hCaptcha, Turnstile in compat mode) fill g-recaptcha-response as well as their
					// own field: their own field says more than the shared one
					if (!RECAPTCHA_COMPAT_FIELD.equals(policy.formField())) {
						return policy;
					}
					byField = (byField != null) ? byField : policy;
				}
			}
			if (byField != null) {
				return byField;
			}
		}
		String name = (rule.provider() != null) ? rule.provider() : this.defaultProvider;
		Checks.requireState(name != null, "No CAPTCHA provider is configured");
		ProviderPolicy policy = this.providers.get(name);
		Checks.requireState(policy != null, "CAPTCHA provider '" + name + "' is not configured");
		return policy;
	}

	private VerificationResult ask(ProviderPolicy policy, VerificationRequest request) {
		try {
			VerificationResult answer = policy.verifier().verify(request);
			return (answer != null) ? answer
					: VerificationResult.of(VerificationOutcome.PROVIDER_UNAVAILABLE, policy.name());
		}
		catch (RuntimeException ex) {
			logger.error("CAPTCHA provider '{}' failed to verify token {}: {}", policy.name(),
					TokenDigest.shortHash(request.token()), ex.getClass().getName());
			return VerificationResult.of(VerificationOutcome.PROVIDER_UNAVAILABLE, policy.name());
		}
	}

	private VerificationOutcome check(VerificationRequest request, VerificationResult answer, boolean testMode) {
		// test credentials answer with fixed hostnames and actions (testkey.google.com, dummy-key-pass, "test")
		if (!testMode && !request.expectedHostnames().isEmpty()
				&& !hostnameAllowed(answer.hostname(), request.expectedHostnames())) {
			return VerificationOutcome.HOSTNAME_MISMATCH;
		}
		if (!testMode && request.expectedAction() != null) {
			if (answer.action() != null) {
				if (!answer.action().equalsIgnoreCase(request.expectedAction())) {
					return VerificationOutcome.ACTION_MISMATCH;
				}
			}
			else if (request.scoreRequired()) {
				// a scored (v3) token always carries an action: a missing one cannot match
				return VerificationOutcome.ACTION_MISMATCH;
			}
		}
		if (request.minScore() != null && (answer.score() == null || answer.score() < request.minScore())) {
			return VerificationOutcome.LOW_SCORE;
		}
		Instant challenged = answer.challengeTimestamp();
		if (challenged != null && challenged.plus(request.maxTokenAge()).plus(CLOCK_SKEW).isBefore(this.clock.instant())) {
			return VerificationOutcome.EXPIRED;
		}
		return VerificationOutcome.PASSED;
	}

	static boolean hostnameAllowed(@Nullable String hostname, Set<String> allowed) {
		if (hostname == null || hostname.isEmpty()) {
			return false;
		}
		String host = hostname.toLowerCase(Locale.ROOT);
		for (String candidate : allowed) {
			String pattern = candidate.toLowerCase(Locale.ROOT);
			if (pattern.startsWith("*.")) {
				if (host.endsWith(pattern.substring(1)) && host.length() > pattern.length() - 1) {
					return true;
				}
			}
			else if (pattern.equals(host)) {
				return true;
			}
		}
		return false;
	}

	static boolean isWellFormed(String token, int maxLength) {
		if (token.length() > maxLength) {
			return false;
		}
		for (int i = 0; i < token.length(); i++) {
			char c = token.charAt(i);
			if (c < 0x21 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>') {
				return false;
			}
		}
		return true;
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

		private final List<CaptchaDecisionCustomizer> decisionCustomizers = new java.util.ArrayList<>();

		private final List<VerificationListener> listeners = new java.util.ArrayList<>();

		private Builder() {
		}

		/**
		 * Count failed verifications per client IP and account, for step-up and blocking. Off by default.
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
		 * Set what escalations tell the client to show. Defaults to the provider name only.
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
		 * Add a provider. The first one added is the default unless {@link #defaultProvider(String)} says
		 * otherwise.
		 * @param policy the provider
		 * @return this builder
		 * @throws IllegalStateException if a provider with the same name was added already
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
		 * Set the provider used by rules that name none. Defaults to the first provider added.
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
		 * Set the clock used for the challenge age check. Defaults to the system UTC clock.
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
		 * @throws IllegalStateException if no replay cache is set or the default provider is unknown
		 */
		public CaptchaVerificationService build() {
			Checks.requireState(this.replayCache != null, "replayCache is required");
			return new CaptchaVerificationService(this);
		}

	}

}
