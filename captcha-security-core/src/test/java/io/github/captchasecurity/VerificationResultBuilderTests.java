package io.github.captchasecurity;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The builders of {@link VerificationResult} and {@link ProviderPolicy} give what the
 * canonical constructors give.
 */
class VerificationResultBuilderTests {

	private static final CaptchaVerifier VERIFIER = (request) -> VerificationResult.of(VerificationOutcome.PASSED,
			"google");

	@Test
	void builderWhenAllComponentsSetThenEqualsCanonicalConstructor() {
		Instant solved = Instant.parse("2026-01-01T00:00:00Z");
		VerificationResult built = VerificationResult.builder(VerificationOutcome.LOW_SCORE)
			.provider("hcaptcha")
			.score(0.2)
			.action("login")
			.hostname("example.com")
			.challengeTimestamp(solved)
			.errorCodes(List.of("x"))
			.rawScore(0.8)
			.retryAfter(Duration.ofSeconds(5))
			.challenge(Map.of("type", "image"))
			.build();
		assertThat(built).isEqualTo(new VerificationResult(VerificationOutcome.LOW_SCORE, "hcaptcha", 0.2, "login",
				"example.com", solved, List.of("x"), 0.8, Duration.ofSeconds(5), Map.of("type", "image")));
		assertThat(built.toBuilder().build()).isEqualTo(built);
	}

	@Test
	void passedByWhenRawScoreUnsetThenRawScoreIsTheScore() {
		VerificationResult built = VerificationResult.passedBy("google").score(0.9).action("login").build();
		assertThat(built).isEqualTo(
				new VerificationResult(VerificationOutcome.PASSED, "google", 0.9, "login", null, null, List.of()));
		assertThat(built.rawScore()).isEqualTo(0.9);
		assertThat(built.passed()).isTrue();
	}

	@Test
	void providerPolicyBuilderWhenDefaultsThenMaxTokenAgeIsTheTokenLifetime() {
		ProviderPolicy policy = ProviderPolicy.builder("google", VERIFIER)
			.hostnames(Set.of("example.com"))
			.tokenLifetime(Duration.ofMinutes(5))
			.build();
		assertThat(policy).isEqualTo(new ProviderPolicy("google", VERIFIER, Set.of("example.com"), null,
				Duration.ofMinutes(5), Duration.ofMinutes(5), 4096, true, null));
	}

	@Test
	void providerPolicyBuilderWhenAllSetThenEqualsCanonicalConstructor() {
		ProviderPolicy policy = ProviderPolicy.builder("turnstile", VERIFIER)
			.minScore(0.5)
			.maxTokenAge(Duration.ofMinutes(1))
			.tokenLifetime(Duration.ofMinutes(5))
			.maxTokenLength(2048)
			.scored(false)
			.formField("cf-turnstile-response")
			.build();
		assertThat(policy).isEqualTo(new ProviderPolicy("turnstile", VERIFIER, Set.of(), 0.5, Duration.ofMinutes(1),
				Duration.ofMinutes(5), 2048, false, "cf-turnstile-response"));
	}

	@Test
	void providerPolicyBuilderWhenValueOutOfRangeThenIllegalArgumentException() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ProviderPolicy.builder("google", VERIFIER).maxTokenLength(0).build())
			.withMessageContaining("maxTokenLength");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ProviderPolicy.builder("google", VERIFIER).minScore(1.5).build())
			.withMessageContaining("minScore");
	}

}
