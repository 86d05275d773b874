package io.github.captchasecurity.store.redis;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.github.captchasecurity.CaptchaVerificationService;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis killed during traffic and started again on the same port, for an instance that
 * fails closed (the default) and one that fails open
 * ({@code captcha.store.on-error=fail-open}), both with
 * {@code captcha.store.timeout=300ms}.
 */
class RedisOutageTests {

	private static final Duration TIMEOUT = Duration.ofMillis(300);

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private static WireMockServer provider;

	private static RedisInstances failClosed;

	private static RedisInstances failOpen;

	@BeforeAll
	static void start() {
		provider = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
		provider.start();
		provider.stubFor(post(urlPathEqualTo("/siteverify"))
			.willReturn(aResponse().withHeader("Content-Type", "application/json")
				.withBody("{\"success\":true,\"hostname\":\"localhost\"}")));
		String url = provider.baseUrl() + "/siteverify";
		failClosed = new RedisInstances(1, redis.port(), url, "captcha.store.timeout=" + TIMEOUT.toMillis() + "ms");
		failOpen = new RedisInstances(1, redis.port(), url, "captcha.store.timeout=" + TIMEOUT.toMillis() + "ms",
				"captcha.store.on-error=fail-open");
	}

	@AfterAll
	static void stop() {
		if (failClosed != null) {
			failClosed.close();
		}
		if (failOpen != null) {
			failOpen.close();
		}
		if (provider != null) {
			provider.stop();
		}
	}

	@Test
	void redisDownThenProtectedRoutesAnswerStoreUnavailableInTimeOpenRoutesServeAndRestartHeals() throws Exception {
		assertThat(submit(failClosed).statusCode()).isEqualTo(200);
		redis.stop();
		try {
			int before = RedisStoreApplication.protectedCalls.get();
			for (int i = 0; i < 5; i++) {
				long start = System.nanoTime();
				HttpResponse<String> response = submit(failClosed);
				Duration took = Duration.ofNanos(System.nanoTime() - start);
				assertThat(response.statusCode()).isEqualTo(503);
				assertThat(response.headers().firstValue("Content-Type"))
					.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
				assertThat(RedisInstances.code(response)).isEqualTo("captcha_store_unavailable");
				assertThat(took).isLessThan(TIMEOUT.plusMillis(200));
				assertThat(failClosed.get(0, "/api/open").statusCode()).isEqualTo(200);
			}
			assertThat(RedisStoreApplication.protectedCalls).hasValue(before);
			HttpResponse<String> generate = failClosed.postJson(0, "/captcha/generate",
					Map.of("site_key", RedisInstances.SITE_KEY, "type", "math"));
			assertThat(generate.statusCode()).isEqualTo(503);
			assertThat(RedisInstances.code(generate)).isEqualTo("captcha_store_unavailable");
			HttpResponse<String> login = failClosed.login(0, "alice", "wrong", "192.0.2.50");
			assertThat(login.statusCode()).isNotEqualTo(500).isLessThan(500);
		}
		finally {
			redis.start();
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		int status = 0;
		while (status != 200 && System.nanoTime() < deadline) {
			status = submit(failClosed).statusCode();
			if (status != 200) {
				Thread.sleep(100);
			}
		}
		assertThat(status).as("a protected route passes again after Redis is back").isEqualTo(200);
	}

	@Test
	void redisDownWithFailOpenThenProtectedRoutesGoOnAndTheOutcomeIsCounted() throws Exception {
		redis.stop();
		try {
			int before = RedisStoreApplication.protectedCalls.get();

			HttpResponse<String> response = submit(failOpen);

			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(RedisStoreApplication.protectedCalls).hasValue(before + 1);
			MeterRegistry meters = failOpen.context(0).getBean(MeterRegistry.class);
			assertThat(meters.get("captcha.verifications")
				.tag("outcome", CaptchaVerificationService.FAIL_OPEN_STORE)
				.counter()
				.count()).isPositive();
		}
		finally {
			redis.start();
		}
	}

	private static HttpResponse<String> submit(RedisInstances instance) {
		return instance.submit(0, "/api/hosted", "tok-" + UUID.randomUUID(), "198.51.100.77");
	}

}
