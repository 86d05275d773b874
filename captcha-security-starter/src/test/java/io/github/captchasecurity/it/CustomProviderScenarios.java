package io.github.captchasecurity.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import io.github.captchasecurity.event.CaptchaEscalatedEvent;
import io.github.captchasecurity.event.CaptchaRejectedEvent;
import io.github.captchasecurity.event.CaptchaVerifiedEvent;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every engine feature does to a provider the library does not ship (gh-9): the same
 * scenarios for the provider as a {@code CaptchaVerifier} bean and as a custom type of a
 * {@code CaptchaProviderFactory} bean. Route {@code /api/signup} uses the default
 * provider "acme" with action {@code signup}, a minimum score of 0.3
 * ({@code captcha.providers.acme.min-score}) and a score band escalating below 0.7 to the
 * built-in "strong".
 */
abstract class CustomProviderScenarios {

	private static final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	@Autowired
	CustomProviderApplication.Events events;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Test
	void tokenPassesOnceThenItsReplayIsRejected() throws Exception {
		String token = token("signup", 0.9);
		assertThat(post("/api/signup", token).statusCode()).isEqualTo(200);
		assertThat(code(post("/api/signup", token))).isEqualTo("captcha_replayed");
	}

	@Test
	void tokenForAnotherActionIsRejected() throws Exception {
		assertThat(code(post("/api/signup", token("login", 0.9)))).isEqualTo("captcha_action_mismatch");
	}

	@Test
	void tokenScoringBelowProviderMinimumIsRejected() throws Exception {
		assertThat(code(post("/api/signup", token("signup", 0.1)))).isEqualTo("captcha_low_score");
	}

	@Test
	void tokenInScoreBandMustSolveTheStrongerChallenge() throws Exception {
		HttpResponse<String> response = post("/api/signup", token("signup", 0.5));
		assertThat(code(response)).isEqualTo("captcha_escalation_required");
		assertThat(json.readTree(response.body()).path("challenge").path("provider").asString()).isEqualTo("strong");
	}

	@Test
	void unknownTokenIsRejected() throws Exception {
		assertThat(code(post("/api/signup", "forged:x:signup:1.0"))).isEqualTo("captcha_invalid");
	}

	@Test
	void requireCaptchaNamesTheProviderAndChecksItsAction() throws Exception {
		assertThat(post("/api/annotated", token("comment", 0.9)).statusCode()).isEqualTo(200);
		assertThat(code(post("/api/annotated", token("signup", 0.9)))).isEqualTo("captcha_action_mismatch");
	}

	@Test
	void verificationsArePublishedAsEventsAndCountedAsMetrics() throws Exception {
		post("/api/signup", token("signup", 0.9));
		post("/api/signup", token("login", 0.9));
		post("/api/signup", token("signup", 0.5));
		assertThat(this.events.received).anySatisfy((event) -> {
			assertThat(event).isInstanceOf(CaptchaVerifiedEvent.class);
			assertThat(event.getResult().provider()).isEqualTo("acme");
		});
		assertThat(this.events.received).anySatisfy((event) -> {
			assertThat(event).isInstanceOf(CaptchaRejectedEvent.class);
			assertThat(event.getResult().outcome().code()).isEqualTo("captcha_action_mismatch");
		});
		assertThat(this.events.received)
			.anySatisfy((event) -> assertThat(event).isInstanceOf(CaptchaEscalatedEvent.class));
		assertThat(this.meters.get("captcha.verifications").tags("provider", "acme").counters())
			.extracting((counter) -> counter.getId().getTag("outcome"))
			.contains("passed", "captcha_action_mismatch", "captcha_escalation_required");
	}

	private static String token(String action, double score) {
		return "ok:" + UUID.randomUUID() + ":" + action + ":" + score;
	}

	private HttpResponse<String> post(String path, String token) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("X-Captcha-Token", token)
			.POST(HttpRequest.BodyPublishers.noBody())
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static String code(HttpResponse<String> response) throws Exception {
		return json.readTree(response.body()).path("code").asString();
	}

}
