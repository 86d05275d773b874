package io.github.captchasecurity.test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.ProviderPolicy;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.replay.CaffeineReplayCache;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The {@link CaptchaTestProvider}'s tokens through a real engine: every check of the
 * engine applies to its answers.
 */
class CaptchaTestProviderTests {

	private final CaptchaVerificationService service = CaptchaVerificationService.builder()
		.replayCache(new CaffeineReplayCache(1_000))
		.provider(ProviderPolicy.builder("test", new CaptchaTestProvider())
			.hostnames(Set.of("*.example.com"))
			.tokenLifetime(Duration.ofMinutes(2))
			.build())
		.build();

	private final CaptchaRule login = new CaptchaRule("test", "login", 0.5);

	@Test
	void passPassesAnyRuleWithTheExpectedActionAndHostname() {
		var result = this.service.verify(this.login, CaptchaTestTokens.fresh(), null);
		assertThat(result.outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(result.action()).isEqualTo("login");
		assertThat(result.hostname()).isEqualTo("test.example.com");
		assertThat(result.score()).isEqualTo(1.0);
	}

	@Test
	void givenActionScoreAndHostnameAreCheckedByTheEngine() {
		assertThat(outcome("pass:login:0.9:shop.example.com")).isEqualTo(VerificationOutcome.PASSED);
		assertThat(outcome("pass:signup")).isEqualTo(VerificationOutcome.ACTION_MISMATCH);
		assertThat(outcome("pass::0.3")).isEqualTo(VerificationOutcome.LOW_SCORE);
		assertThat(outcome("pass:login:0.9:evil.test")).isEqualTo(VerificationOutcome.HOSTNAME_MISMATCH);
	}

	@Test
	void rejectionsMapToTheRealOutcomes() {
		assertThat(outcome("fail")).isEqualTo(VerificationOutcome.INVALID);
		assertThat(outcome("expired")).isEqualTo(VerificationOutcome.EXPIRED);
		assertThat(outcome("unavailable")).isEqualTo(VerificationOutcome.PROVIDER_UNAVAILABLE);
		assertThat(outcome("whatever")).isEqualTo(VerificationOutcome.INVALID);
		assertThat(outcome("pass:login:high")).isEqualTo(VerificationOutcome.INVALID);
		assertThat(outcome("pass:login:1.5")).isEqualTo(VerificationOutcome.INVALID);
	}

	@Test
	void unavailableOnAFailOpenRulePasses() {
		CaptchaRule failOpen = new CaptchaRule(List.of("test"), "login", null, true);
		assertThat(this.service.verify(failOpen, CaptchaTestTokens.fresh("unavailable"), null).passed()).isTrue();
	}

	@Test
	void theSameTokenTwiceIsAReplay() {
		assertThat(this.service.verify(this.login, "pass#same", null).outcome()).isEqualTo(VerificationOutcome.PASSED);
		assertThat(this.service.verify(this.login, "pass#same", null).outcome())
			.isEqualTo(VerificationOutcome.REPLAYED);
	}

	@Test
	void freshTokensDifferAndKeepTheirMeaning() {
		String first = CaptchaTestTokens.fresh("pass:login");
		String second = CaptchaTestTokens.fresh("pass:login");
		assertThat(first).isNotEqualTo(second).startsWith("pass:login#");
		assertThatIllegalArgumentException().isThrownBy(() -> CaptchaTestTokens.fresh("pass#1"));
	}

	@Test
	void isNeitherTestModeNorRemote() {
		CaptchaTestProvider provider = new CaptchaTestProvider();
		assertThat(provider.isTestMode()).isFalse();
		assertThat(provider.isRemote()).isFalse();
	}

	private VerificationOutcome outcome(String meaning) {
		return this.service.verify(this.login, CaptchaTestTokens.fresh(meaning), null).outcome();
	}

}
