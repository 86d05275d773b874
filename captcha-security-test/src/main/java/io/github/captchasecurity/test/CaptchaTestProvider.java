package io.github.captchasecurity.test;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import io.github.captchasecurity.CaptchaVerifier;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationRequest;
import io.github.captchasecurity.VerificationResult;
import org.jspecify.annotations.Nullable;

/**
 * An in-process provider for tests: no network, no secret, and the token says what the
 * provider answers. Tokens:
 * <ul>
 * <li>{@code pass[:action[:score[:hostname]]]}: passed. An action, score or hostname left
 * out (or empty, as in {@code pass::0.3}) is what the request expects, so {@code pass}
 * passes every route; given, it is reported as is and the engine checks it as it would a
 * real provider's answer ({@code pass:other} on a route whose action is {@code login} is
 * {@code captcha_action_mismatch}, {@code pass::0.2} below a minimum score is
 * {@code captcha_low_score}). The default score is 1.0 (a human);</li>
 * <li>{@code fail}: rejected as {@link VerificationOutcome#INVALID}
 * ({@code captcha_invalid}, 403);</li>
 * <li>{@code expired}: {@link VerificationOutcome#EXPIRED} ({@code captcha_expired},
 * 403);</li>
 * <li>{@code unavailable}: {@link VerificationOutcome#PROVIDER_UNAVAILABLE}
 * ({@code captcha_provider_unavailable}, 503, or a pass on a {@code fail-open}
 * route);</li>
 * <li>anything else: {@link VerificationOutcome#INVALID}, with the error code
 * {@value #UNKNOWN_TOKEN}.</li>
 * </ul>
 * A suffix from {@code #} on is ignored: {@code pass#7} and {@code pass#8} are two tokens
 * with the same meaning. The engine's checks all apply, the replay check included: like a
 * real token, one token passes once and is {@code captcha_replayed} the second time.
 * {@link CaptchaTestTokens#fresh(String)} and the request post-processors of
 * {@link CaptchaRequestPostProcessors} therefore add a unique suffix to each request's
 * token; send one literal token twice to test replay.
 * <p>
 * It is not in {@linkplain CaptchaVerifier#isTestMode() test mode} (that mode turns the
 * engine's checks off), it does not call out ({@link #isRemote()} is false) and it
 * accepts tokens of routes that require a server challenge, as if the server had issued
 * it. Thread-safe.
 *
 * @since 0.1.0
 */
public final class CaptchaTestProvider implements CaptchaVerifier {

	/** Error code reported for a token that is none of the documented forms. */
	public static final String UNKNOWN_TOKEN = "test-token-unknown";

	private final Clock clock;

	/**
	 * Create a provider whose challenges are solved now on the system clock.
	 */
	public CaptchaTestProvider() {
		this(Clock.systemUTC());
	}

	/**
	 * Create a provider whose challenges are solved at the clock's instant.
	 * @param clock the clock
	 */
	public CaptchaTestProvider(Clock clock) {
		this.clock = Objects.requireNonNull(clock, "clock");
	}

	@Override
	public VerificationResult verify(VerificationRequest request) {
		String token = request.token();
		int suffix = token.indexOf('#');
		String meaning = ((suffix >= 0) ? token.substring(0, suffix) : token).trim();
		String[] parts = meaning.split(":", -1);
		String verdict = parts[0].toLowerCase(Locale.ROOT);
		switch (verdict) {
			case "fail":
				return rejected(VerificationOutcome.INVALID, "invalid-input-response");
			case "expired":
				return rejected(VerificationOutcome.EXPIRED, "timeout-or-duplicate");
			case "unavailable":
				return rejected(VerificationOutcome.PROVIDER_UNAVAILABLE, "test-provider-unavailable");
			case "pass":
				return passed(request, parts);
			default:
				return rejected(VerificationOutcome.INVALID, UNKNOWN_TOKEN);
		}
	}

	private VerificationResult passed(VerificationRequest request, String[] parts) {
		if (parts.length > 4) {
			return rejected(VerificationOutcome.INVALID, UNKNOWN_TOKEN);
		}
		String action = part(parts, 1);
		String score = part(parts, 2);
		String hostname = part(parts, 3);
		double reported;
		try {
			reported = (score != null) ? Double.parseDouble(score) : 1.0;
		}
		catch (NumberFormatException ex) {
			return rejected(VerificationOutcome.INVALID, UNKNOWN_TOKEN);
		}
		if (!(reported >= 0.0 && reported <= 1.0)) {
			return rejected(VerificationOutcome.INVALID, UNKNOWN_TOKEN);
		}
		return VerificationResult.builder(VerificationOutcome.PASSED)
			.score(reported)
			.action((action != null) ? action : request.expectedAction())
			.hostname((hostname != null) ? hostname : expectedHostname(request))
			.challengeTimestamp(this.clock.instant())
			.build();
	}

	private static @Nullable String part(String[] parts, int index) {
		return (parts.length > index && !parts[index].isBlank()) ? parts[index].trim() : null;
	}

	// One hostname the request allows (*.example.com: test.example.com).
	private static @Nullable String expectedHostname(VerificationRequest request) {
		if (request.expectedHostnames().isEmpty()) {
			return "localhost";
		}
		String allowed = request.expectedHostnames().stream().sorted().findFirst().orElseThrow();
		return allowed.startsWith("*.") ? "test" + allowed.substring(1) : allowed;
	}

	private static VerificationResult rejected(VerificationOutcome outcome, String errorCode) {
		return VerificationResult.builder(outcome).errorCodes(List.of(errorCode)).build();
	}

	@Override
	public boolean isRemote() {
		return false;
	}

	@Override
	public String toString() {
		return "CaptchaTestProvider";
	}

}
