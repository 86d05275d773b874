package io.github.captchasecurity.benchmarks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationRequest;
import io.github.captchasecurity.VerificationResult;
import io.github.captchasecurity.provider.builtin.BuiltinCaptchaService;
import io.github.captchasecurity.provider.builtin.BuiltinSettings;
import io.github.captchasecurity.provider.builtin.CaffeineChallengeStore;
import io.github.captchasecurity.provider.builtin.CaffeineRateLimiter;
import io.github.captchasecurity.provider.builtin.GeneratedChallenge;
import io.github.captchasecurity.replay.ReplayCache;
import org.altcha.altcha.Altcha;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Proof-of-work verifications per second on one thread: ours (the stateless
 * {@code precheck}, and the full {@code verify} with a replay cache that never refuses,
 * so one solved payload can be verified again and again) next to altcha 1.3.0's
 * {@code verifySolution} (which has no replay check) on a payload of the same shape:
 * base64 JSON, SHA-256, an HMAC signature and an expiry in the salt.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class PowVerificationBenchmark {

	private static final String ALTCHA_KEY = "benchmark-hmac-key";

	private BuiltinCaptchaService service;

	private VerificationRequest ours;

	private String altcha;

	@Setup
	public void setUp() throws Exception {
		BuiltinSettings settings = BuiltinSettings.builder(new byte[32])
			.siteKeys(List.of("bench"))
			.limits(Integer.MAX_VALUE, Integer.MAX_VALUE)
			.powMaxNumber(1_000)
			.build();
		this.service = new BuiltinCaptchaService(settings, new CaffeineChallengeStore(1_000),
				new CaffeineRateLimiter(1_000, Clock.systemUTC()), new AcceptingReplayCache(), Clock.systemUTC());
		GeneratedChallenge challenge = this.service.generate("bench", "pow", null, null, null);
		Map<String, Object> pow = challenge.pow();
		String salt = (String) pow.get("salt");
		long number = solve(salt, (String) pow.get("challenge"), ((Number) pow.get("maxnumber")).longValue());
		this.ours = new VerificationRequest(payload(pow.get("challenge"), number, salt, pow.get("signature")), null,
				null, Set.of(), null, Duration.ofMinutes(5));
		if (this.service.precheck(this.ours) != VerificationOutcome.PASSED || !verifyOurs().passed()) {
			throw new IllegalStateException("our payload does not verify");
		}
		Altcha.Challenge theirs = Altcha.createChallenge(
				new Altcha.ChallengeOptions().setHmacKey(ALTCHA_KEY).setMaxNumber(1_000L).setExpiresInSeconds(3600));
		long theirNumber = solve(theirs.salt, theirs.challenge, theirs.maxnumber);
		this.altcha = payload(theirs.challenge, theirNumber, theirs.salt, theirs.signature);
		if (!Altcha.verifySolution(this.altcha, ALTCHA_KEY, true)) {
			throw new IllegalStateException("altcha's payload does not verify");
		}
	}

	@Benchmark
	public VerificationOutcome oursPrecheck() {
		return this.service.precheck(this.ours);
	}

	@Benchmark
	public VerificationResult oursVerify() {
		return verifyOurs();
	}

	@Benchmark
	public boolean altchaVerifySolution() throws Exception {
		return Altcha.verifySolution(this.altcha, ALTCHA_KEY, true);
	}

	private VerificationResult verifyOurs() {
		return this.service.verify("builtin", this.ours);
	}

	private static long solve(String salt, String challenge, long maxNumber) throws NoSuchAlgorithmException {
		MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
		for (long number = 0; number <= maxNumber; number++) {
			String hash = HexFormat.of().formatHex(sha256.digest((salt + number).getBytes(StandardCharsets.UTF_8)));
			if (hash.equals(challenge)) {
				return number;
			}
		}
		throw new IllegalStateException("no solution");
	}

	private static String payload(Object challenge, long number, String salt, Object signature) {
		String json = "{\"algorithm\":\"SHA-256\",\"challenge\":\"" + challenge + "\",\"number\":" + number
				+ ",\"salt\":\"" + salt + "\",\"signature\":\"" + signature + "\"}";
		return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
	}

	/** Never refuses: the benchmark verifies one payload repeatedly. */
	private static final class AcceptingReplayCache implements ReplayCache {

		@Override
		public boolean markUsed(String tokenDigest, Duration ttl) {
			return true;
		}

		@Override
		public void forget(String tokenDigest) {
		}

	}

}
