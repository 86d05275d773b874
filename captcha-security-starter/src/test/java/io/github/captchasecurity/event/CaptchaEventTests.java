package io.github.captchasecurity.event;

import java.time.Duration;
import java.util.Map;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.VerificationContext;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CaptchaEventTests {

	private final CaptchaRule rule = new CaptchaRule("google", "pay", 0.5);

	private final VerificationContext context = VerificationContext.ofClientIp("198.51.100.7");

	@Test
	void ofWhenPassedThenVerified() {
		assertThat(event(VerificationResult.of(VerificationOutcome.PASSED, "google")))
			.isInstanceOf(CaptchaVerifiedEvent.class);
	}

	@Test
	void ofWhenEscalationRequiredThenEscalated() {
		assertThat(event(VerificationResult.of(VerificationOutcome.PASSED, "google")
			.escalated(Map.of("provider", "local", "reason", "score")))).isInstanceOf(CaptchaEscalatedEvent.class);
	}

	@Test
	void ofWhenRateLimitedThenRateLimited() {
		assertThat(
				event(VerificationResult.of(VerificationOutcome.MISSING, "google").rateLimited(Duration.ofMinutes(1))))
			.isInstanceOf(CaptchaRateLimitedEvent.class);
	}

	@Test
	void ofWhenAnyOtherOutcomeThenRejected() {
		for (VerificationOutcome outcome : VerificationOutcome.values()) {
			if (outcome.passed() || outcome == VerificationOutcome.ESCALATION_REQUIRED
					|| outcome == VerificationOutcome.RATE_LIMITED) {
				continue;
			}
			assertThat(event(VerificationResult.of(outcome, "google"))).as(outcome.name())
				.isInstanceOf(CaptchaRejectedEvent.class);
		}
	}

	@Test
	void ofThenCarriesResultRuleAndContext() {
		VerificationResult result = VerificationResult.of(VerificationOutcome.LOW_SCORE, "google");
		CaptchaEvent event = event(result);
		assertThat(event.getResult()).isSameAs(result);
		assertThat(event.getSource()).isSameAs(result);
		assertThat(event.getRule()).isSameAs(this.rule);
		assertThat(event.getContext()).isSameAs(this.context);
	}

	private CaptchaEvent event(VerificationResult result) {
		return CaptchaEvent.of(result, this.rule, this.context);
	}

}
