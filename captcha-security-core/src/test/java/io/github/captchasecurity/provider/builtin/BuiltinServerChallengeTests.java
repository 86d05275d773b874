package io.github.captchasecurity.provider.builtin;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jwt.SignedJWT;
import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.ProviderPolicy;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationRequest;
import io.github.captchasecurity.VerificationResult;
import io.github.captchasecurity.replay.CaffeineReplayCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for server-issued challenges of {@link BuiltinCaptchaService}: pass tokens and
 * proof-of-work salts record the client IP and action they were issued for, and are held
 * to them when the request asks for a server challenge (or with {@code bind-ip}). Time is
 * a {@link MutableClock}.
 */
class BuiltinServerChallengeTests {

	private static final Instant START = Instant.parse("2026-01-01T12:00:00Z");

	private static final byte[] SIGNING_KEY = "an HS256 signing key of 256 bits".getBytes(StandardCharsets.UTF_8);

	private static final String SITE_KEY = "demo-site-key";

	private static final String PROVIDER = "builtin";

	private static final String CLIENT = "198.51.100.7";

	private static final String OTHER_IP = "203.0.113.9";

	private static final String ACTION = "transfer";

	private static final Pattern MATH = Pattern.compile("What is (\\d+) ([+\\-×]) (\\d+)\\?");

	private final MutableClock clock = new MutableClock(START);

	private final RecordingChallengeStore store = new RecordingChallengeStore(new CaffeineChallengeStore(10_000));

	private final CaffeineReplayCache replayCache = new CaffeineReplayCache(10_000);

	private BuiltinCaptchaService service = service(false);

	// --- pass tokens

	@Test
	void verifyWhenPassTokenThenRecordsValidatingIpAndAction() throws Exception {
		SignedJWT jwt = SignedJWT.parse(passToken(CLIENT, ACTION));

		assertThat(jwt.getJWTClaimsSet().getStringClaim("ip")).isEqualTo(CLIENT);
		assertThat(jwt.getJWTClaimsSet().getStringClaim("act")).isEqualTo(ACTION);
	}

	@Test
	void verifyWhenServerChallengeFromSameIpAndActionThenPassed() {
		VerificationResult result = verify(passToken(CLIENT, ACTION), CLIENT, ACTION, true);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.provider()).isEqualTo(PROVIDER);
		assertThat(result.action()).isEqualTo(ACTION);
	}

	@Test
	void verifyWhenServerChallengeActionInOtherCaseThenPassed() {
		assertThat(verify(passToken(CLIENT, ACTION), CLIENT, "TRANSFER", true).outcome())
			.isEqualTo(VerificationOutcome.PASSED);
	}

	@ParameterizedTest
	@ValueSource(strings = { OTHER_IP, "198.51.100.70", "::ffff:198.51.100.8" })
	void verifyWhenServerChallengeFromOtherIpThenInvalid(String ip) {
		assertThat(verify(passToken(CLIENT, ACTION), ip, ACTION, true).outcome())
			.isEqualTo(VerificationOutcome.INVALID);
	}

	@Test
	void verifyWhenServerChallengeWithoutClientIpThenInvalid() {
		assertThat(verify(passToken(CLIENT, ACTION), null, ACTION, true).outcome())
			.isEqualTo(VerificationOutcome.INVALID);
	}

	@Test
	void verifyWhenServerChallengeForOtherActionThenActionMismatch() {
		assertThat(verify(passToken(CLIENT, ACTION), CLIENT, "other", true).outcome())
			.isEqualTo(VerificationOutcome.ACTION_MISMATCH);
	}

	@Test
	void verifyWhenServerChallengeAndTokenCarriesNoActionThenActionMismatch() {
		assertThat(verify(passToken(CLIENT, null), CLIENT, ACTION, true).outcome())
			.isEqualTo(VerificationOutcome.ACTION_MISMATCH);
	}

	@Test
	void verifyWhenServerChallengeButRouteExpectsNoActionThenPassed() {
		assertThat(verify(passToken(CLIENT, ACTION), CLIENT, null, true).outcome())
			.isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void verifyWhenServerChallengeFromOtherIpAndOtherActionThenInvalid() {
		assertThat(verify(passToken(CLIENT, ACTION), OTHER_IP, "other", true).outcome())
			.isEqualTo(VerificationOutcome.INVALID);
	}

	@Test
	void verifyWhenNoServerChallengeAndNotBoundThenPassedFromAnyIp() {
		assertThat(verify(passToken(CLIENT, ACTION), OTHER_IP, ACTION, false).outcome())
			.isEqualTo(VerificationOutcome.PASSED);
		assertThat(verify(passToken(CLIENT, ACTION), null, ACTION, false).outcome())
			.isEqualTo(VerificationOutcome.PASSED);
		assertThat(verify(passToken(CLIENT, ACTION), CLIENT, ACTION, false).outcome())
			.isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void verifyWhenNoServerChallengeThenActionLeftToTheEngine() {
		VerificationResult result = verify(passToken(CLIENT, ACTION), CLIENT, "other", false);

		// the service reports the action; CaptchaVerificationService compares it with the
		// route's
		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.action()).isEqualTo(ACTION);
	}

	@Test
	void verifyWhenBindIpWithoutServerChallengeThenIpEnforced() {
		this.service = service(true);

		assertThat(verify(passToken(CLIENT, ACTION), OTHER_IP, ACTION, false).outcome())
			.isEqualTo(VerificationOutcome.INVALID);
		assertThat(verify(passToken(CLIENT, ACTION), CLIENT, ACTION, false).outcome())
			.isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void verifyWhenTokenValidatedWithoutClientIpThenServerChallengeFails() throws Exception {
		String token = passToken(null, ACTION);
		assertThat(SignedJWT.parse(token).getJWTClaimsSet().getClaim("ip")).isNull();

		assertThat(verify(token, CLIENT, ACTION, true).outcome()).isEqualTo(VerificationOutcome.INVALID);
		assertThat(verify(token, null, ACTION, true).outcome()).isEqualTo(VerificationOutcome.INVALID);
		// the token itself is genuine: without a server challenge it passes
		assertThat(verify(token, CLIENT, ACTION, false).outcome()).isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void verifyWhenServerChallengePassedTwiceThenReplayed() {
		String token = passToken(CLIENT, ACTION);

		assertThat(verify(token, CLIENT, ACTION, true).outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(verify(token, CLIENT, ACTION, true).outcome()).isEqualTo(VerificationOutcome.REPLAYED);
	}

	@Test
	void verifyWhenServerChallengeTokenExpiredThenExpired() {
		String token = passToken(CLIENT, ACTION);

		this.clock.advance(Duration.ofMinutes(5).plusSeconds(1));

		assertThat(verify(token, CLIENT, ACTION, true).outcome()).isEqualTo(VerificationOutcome.EXPIRED);
	}

	// --- proof-of-work payloads

	@Test
	void generateWhenPowThenSaltRecordsIpDigestAndAction() {
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, "pow", null, ACTION, CLIENT);

		assertThat((String) challenge.pow().get("salt"))
			.contains("ip=" + BuiltinCaptchaService.shortDigest(CLIENT) + "&")
			.contains("act=" + ACTION + "&")
			.doesNotContain(CLIENT);
	}

	@Test
	void verifyWhenPowServerChallengeFromSameIpAndActionThenPassed() {
		VerificationResult result = verify(powPayload(CLIENT, ACTION), CLIENT, ACTION, true);

		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.action()).isEqualTo(ACTION);
	}

	@Test
	void verifyWhenPowServerChallengeFromOtherIpThenInvalid() {
		assertThat(verify(powPayload(CLIENT, ACTION), OTHER_IP, ACTION, true).outcome())
			.isEqualTo(VerificationOutcome.INVALID);
		assertThat(verify(powPayload(CLIENT, ACTION), null, ACTION, true).outcome())
			.isEqualTo(VerificationOutcome.INVALID);
	}

	@Test
	void verifyWhenPowServerChallengeForOtherActionThenActionMismatch() {
		assertThat(verify(powPayload(CLIENT, ACTION), CLIENT, "other", true).outcome())
			.isEqualTo(VerificationOutcome.ACTION_MISMATCH);
	}

	@Test
	void verifyWhenPowServerChallengeWithoutActionThenActionMismatch() {
		assertThat(verify(powPayload(CLIENT, null), CLIENT, ACTION, true).outcome())
			.isEqualTo(VerificationOutcome.ACTION_MISMATCH);
	}

	@Test
	void verifyWhenPowNoServerChallengeAndNotBoundThenPassedFromAnyIp() {
		assertThat(verify(powPayload(CLIENT, ACTION), OTHER_IP, ACTION, false).outcome())
			.isEqualTo(VerificationOutcome.PASSED);
		assertThat(verify(powPayload(CLIENT, ACTION), null, ACTION, false).outcome())
			.isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void verifyWhenPowGeneratedWithoutClientIpThenServerChallengeFails() {
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, "pow", null, ACTION, null);
		assertThat((String) challenge.pow().get("salt")).doesNotContain("ip=");

		assertThat(verify(solve(challenge), CLIENT, ACTION, true).outcome()).isEqualTo(VerificationOutcome.INVALID);
		assertThat(verify(solve(challenge), null, ACTION, true).outcome()).isEqualTo(VerificationOutcome.INVALID);
	}

	@Test
	void verifyWhenPowServerChallengeRejectedThenPayloadStillUnspent() {
		String payload = powPayload(CLIENT, ACTION);

		assertThat(verify(payload, OTHER_IP, ACTION, true).outcome()).isEqualTo(VerificationOutcome.INVALID);

		assertThat(verify(payload, CLIENT, ACTION, true).outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(verify(payload, CLIENT, ACTION, true).outcome()).isEqualTo(VerificationOutcome.REPLAYED);
	}

	@Test
	void verifyWhenPowValidatedIntoPassTokenThenTokenBoundToValidatingIp() throws Exception {
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, "pow", null, ACTION, CLIENT);

		String token = this.service.validate(SITE_KEY, challenge.captchaId(), solve(challenge), CLIENT);

		assertThat(token).isNotNull();
		assertThat(SignedJWT.parse(token).getJWTClaimsSet().getStringClaim("ip")).isEqualTo(CLIENT);
		assertThat(verify(token, OTHER_IP, ACTION, true).outcome()).isEqualTo(VerificationOutcome.INVALID);
		assertThat(verify(token, CLIENT, ACTION, true).outcome()).isEqualTo(VerificationOutcome.PASSED);
	}

	// --- through the engine: a rule's serverChallenge reaches the verifier

	@Test
	void engineWhenRuleRequiresServerChallengeThenIpAndActionEnforced() {
		CaptchaVerificationService engine = CaptchaVerificationService.builder()
			.provider(new ProviderPolicy(PROVIDER, new BuiltinCaptchaVerifier(PROVIDER, this.service), Set.of(), null,
					Duration.ofMinutes(5), Duration.ofMinutes(5), 4096, false, BuiltinCaptchaVerifier.FORM_FIELD))
			.replayCache(new CaffeineReplayCache(1000))
			.clock(this.clock)
			.build();
		CaptchaRule rule = new CaptchaRule(List.of(PROVIDER), ACTION, null, false).withServerChallenge(true);
		CaptchaRule otherAction = new CaptchaRule(List.of(PROVIDER), "other", null, false).withServerChallenge(true);
		CaptchaRule loose = new CaptchaRule(List.of(PROVIDER), ACTION, null, false);

		assertThat(engine.verify(rule, passToken(CLIENT, ACTION), OTHER_IP).outcome())
			.isEqualTo(VerificationOutcome.INVALID);
		assertThat(engine.verify(otherAction, passToken(CLIENT, ACTION), CLIENT).outcome())
			.isEqualTo(VerificationOutcome.ACTION_MISMATCH);
		assertThat(engine.verify(rule, powPayload(CLIENT, ACTION), OTHER_IP).outcome())
			.isEqualTo(VerificationOutcome.INVALID);
		assertThat(engine.verify(rule, passToken(CLIENT, ACTION), CLIENT).outcome())
			.isEqualTo(VerificationOutcome.PASSED);
		assertThat(engine.verify(rule, powPayload(CLIENT, ACTION), CLIENT).outcome())
			.isEqualTo(VerificationOutcome.PASSED);
		assertThat(engine.verify(loose, passToken(CLIENT, ACTION), OTHER_IP).outcome())
			.isEqualTo(VerificationOutcome.PASSED);
	}

	// --- helpers

	private BuiltinCaptchaService service(boolean bindIp) {
		BuiltinSettings settings = BuiltinSettings.builder(SIGNING_KEY)
			.siteKeys(List.of(SITE_KEY))
			.powMaxNumber(1000)
			.bindIp(bindIp)
			.build();
		return new BuiltinCaptchaService(settings, this.store, new CaffeineRateLimiter(1000, this.clock),
				this.replayCache, this.clock);
	}

	private VerificationResult verify(String token, String clientIp, String expectedAction, boolean serverChallenge) {
		return this.service.verify(PROVIDER, new VerificationRequest(token, clientIp, expectedAction, Set.of(), null,
				Duration.ofMinutes(5), null, serverChallenge));
	}

	/** A pass token for a math challenge generated and validated from the given IP. */
	private String passToken(String clientIp, String action) {
		GeneratedChallenge challenge = this.service.generate(SITE_KEY, "math", null, action, clientIp);
		String token = this.service.validate(SITE_KEY, challenge.captchaId(), mathAnswer(challenge.question()),
				clientIp);
		assertThat(token).isNotNull();
		return token;
	}

	/**
	 * A solved proof-of-work payload of a challenge generated for the given IP and
	 * action.
	 */
	private String powPayload(String clientIp, String action) {
		return solve(this.service.generate(SITE_KEY, "pow", null, action, clientIp));
	}

	private static String solve(GeneratedChallenge challenge) {
		Map<String, Object> pow = challenge.pow();
		Altcha.AltchaChallenge altcha = new Altcha.AltchaChallenge((String) pow.get("algorithm"),
				(String) pow.get("challenge"), (Integer) pow.get("maxnumber"), (String) pow.get("salt"),
				(String) pow.get("signature"));
		return Altcha.payload(altcha, Altcha.solve(altcha));
	}

	private static String mathAnswer(String question) {
		Matcher matcher = MATH.matcher(question);
		assertThat(matcher.matches()).as(question).isTrue();
		int a = Integer.parseInt(matcher.group(1));
		int b = Integer.parseInt(matcher.group(3));
		return Integer.toString(switch (matcher.group(2)) {
			case "+" -> a + b;
			case "-" -> a - b;
			default -> a * b;
		});
	}

}
