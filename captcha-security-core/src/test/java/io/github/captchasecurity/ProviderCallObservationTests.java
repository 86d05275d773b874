package io.github.captchasecurity;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import io.github.captchasecurity.replay.CaffeineReplayCache;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The engine's hooks for metrics and traces: each call to a remote provider reported with
 * how it ended (the verdict, or the transport failure the verifier reported through
 * {@link ProviderExchanges}), and each verification wrapped by the observers.
 */
class ProviderCallObservationTests {

	private final List<String> calls = new CopyOnWriteArrayList<>();

	@Test
	void remoteCallsThenStatusFromTheVerdictOrTheReportedFailure() {
		assertThat(statusOf((request) -> passed())).isEqualTo("success");
		assertThat(statusOf((request) -> VerificationResult.of(VerificationOutcome.INVALID, "remote")))
			.isEqualTo("rejected");
		assertThat(statusOf((request) -> failed(new SocketTimeoutException("Read timed out")))).isEqualTo("timeout");
		assertThat(statusOf((request) -> failed(new ConnectException("Connection refused"))))
			.isEqualTo("connect-error");
		assertThat(statusOf((request) -> failed(new UnknownHostException("nowhere.example"))))
			.isEqualTo("connect-error");
		assertThat(statusOf((request) -> failed(new IOException("Answer larger than 262144 bytes"))))
			.isEqualTo("bad-answer");
		assertThat(statusOf((request) -> {
			ProviderExchanges.answered(502);
			return unavailable();
		})).isEqualTo("http-5xx");
		assertThat(statusOf((request) -> {
			ProviderExchanges.answered(403);
			return unavailable();
		})).isEqualTo("bad-answer");
		// unavailable without a report (a verifier that does not report): an unusable
		// answer
		assertThat(statusOf((request) -> unavailable())).isEqualTo("bad-answer");
		// a pass with a score outside 0..1 is unusable too
		assertThat(statusOf((request) -> VerificationResult.passedBy("remote").score(7.0).build()))
			.isEqualTo("bad-answer");
		assertThat(statusOf((request) -> {
			throw new IllegalStateException("verifier bug");
		})).isEqualTo("bad-answer");
	}

	@Test
	void reportOfAnEarlierCallThenNotCarriedIntoTheNext() {
		ProviderExchanges.failed(new SocketTimeoutException("outside any verification"));
		assertThat(statusOf((request) -> unavailable())).isEqualTo("bad-answer");
		assertThat(statusOf((request) -> failed(new SocketTimeoutException("Read timed out")))).isEqualTo("timeout");
		assertThat(statusOf((request) -> unavailable())).isEqualTo("bad-answer");
	}

	@Test
	void localVerifierOrCheckFailingBeforeTheProviderThenNoCallReported() {
		CaptchaVerifier local = new CaptchaVerifier() {

			@Override
			public VerificationResult verify(VerificationRequest request) {
				return passed();
			}

			@Override
			public boolean isRemote() {
				return false;
			}

		};
		CaptchaVerificationService service = service(local);
		service.verify(CaptchaRule.defaults(), "local-token", "203.0.113.5");
		service.verify(CaptchaRule.defaults(), null, "203.0.113.5");
		assertThat(this.calls).isEmpty();
	}

	@Test
	void observersThenStartedWithTheProviderAndStoppedWithTheResultBeforeListeners() {
		List<String> events = new ArrayList<>();
		CaptchaVerificationService service = CaptchaVerificationService.builder()
			.replayCache(new CaffeineReplayCache(100))
			.provider(ProviderPolicy.builder("remote", (request) -> passed()).build())
			.observer((rule, provider, context) -> {
				events.add("start " + provider);
				return new VerificationObserver.Scope() {

					@Override
					public void stop(VerificationResult result) {
						events.add("stop " + result.outcome());
					}

					@Override
					public void error(RuntimeException error) {
						events.add("error " + error.getMessage());
					}

				};
			})
			.listener((rule, result, context) -> events.add("listener " + result.outcome()))
			.build();
		service.verify(CaptchaRule.defaults(), "observed-token", "203.0.113.5");
		assertThat(events).containsExactly("start remote", "stop PASSED", "listener PASSED");
		events.clear();
		CaptchaRule unknown = new CaptchaRule("nobody", null, null);
		assertThatIllegalStateException().isThrownBy(() -> service.verify(unknown, "t", null));
		assertThat(events).as("no provider, no verification to observe").isEmpty();
	}

	@Test
	void observerThrowingThenVerificationStillDecided() {
		CaptchaVerificationService service = CaptchaVerificationService.builder()
			.replayCache(new CaffeineReplayCache(100))
			.provider(ProviderPolicy.builder("remote", (request) -> passed()).build())
			.observer((rule, provider, context) -> {
				throw new IllegalStateException("broken observer");
			})
			.build();
		assertThat(service.verify(CaptchaRule.defaults(), "token-1", null).passed()).isTrue();
	}

	private String statusOf(Function<VerificationRequest, VerificationResult> answer) {
		this.calls.clear();
		service(answer::apply).verify(CaptchaRule.defaults(), "token-" + System.nanoTime(), "203.0.113.5");
		assertThat(this.calls).hasSize(1);
		return this.calls.get(0);
	}

	private CaptchaVerificationService service(CaptchaVerifier verifier) {
		return CaptchaVerificationService.builder()
			.replayCache(new CaffeineReplayCache(100))
			.provider(ProviderPolicy.builder("remote", verifier).build())
			.providerCallListener((provider, status, duration) -> {
				assertThat(provider).isEqualTo("remote");
				assertThat(duration).isGreaterThanOrEqualTo(Duration.ZERO);
				this.calls.add(status.tag());
			})
			.build();
	}

	private static VerificationResult passed() {
		return VerificationResult.passedBy("remote").build();
	}

	private static VerificationResult unavailable() {
		return VerificationResult.of(VerificationOutcome.PROVIDER_UNAVAILABLE, "remote");
	}

	private static VerificationResult failed(IOException failure) {
		ProviderExchanges.failed(failure);
		return unavailable();
	}

}
