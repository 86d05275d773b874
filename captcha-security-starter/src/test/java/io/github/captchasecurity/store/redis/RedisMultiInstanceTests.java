package io.github.captchasecurity.store.redis;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three instances of one application in one JVM, on random ports, sharing one real Redis:
 * what the memory store cannot do. Each test would fail with
 * {@code captcha.store.type=memory}: the challenge is unknown on the other instance, the
 * token is accepted once per instance, failures and failed logins are counted per
 * instance.
 */
class RedisMultiInstanceTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private static final AtomicInteger submission = new AtomicInteger();

	private static WireMockServer provider;

	private static RedisInstances instances;

	@BeforeAll
	static void start() {
		provider = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
		provider.start();
		provider.stubFor(post(urlPathEqualTo("/siteverify"))
			.willReturn(aResponse().withHeader("Content-Type", "application/json")
				.withBody("{\"success\":true,\"hostname\":\"localhost\"}")));
		provider.stubFor(post(urlPathEqualTo("/siteverify")).withRequestBody(containing("response=bad-"))
			.willReturn(aResponse().withHeader("Content-Type", "application/json")
				.withBody("{\"success\":false,\"error-codes\":[\"invalid-input-response\"]}")));
		instances = new RedisInstances(3, redis.port(), provider.baseUrl() + "/siteverify");
	}

	@AfterAll
	static void stop() {
		if (instances != null) {
			instances.close();
		}
		if (provider != null) {
			provider.stop();
		}
	}

	@BeforeEach
	void reset() {
		redis.flushAll();
		provider.resetRequests();
		RedisStoreApplication.protectedCalls.set(0);
	}

	@Test
	void challengeGeneratedOnOneInstanceIsValidatedOnAnotherAndItsPassTokenWorksOnceAnywhere() {
		String token = instances.passToken(0, 1);

		HttpResponse<String> first = instances.submit(2, "/api/builtin", token, "198.51.100.1");
		HttpResponse<String> replayed = instances.submit(0, "/api/builtin", token, "198.51.100.1");

		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(replayed.statusCode()).isEqualTo(403);
		assertThat(RedisInstances.code(replayed)).isEqualTo("captcha_replayed");
		assertThat(RedisStoreApplication.protectedCalls).hasValue(1);
	}

	@Test
	void challengeAnsweredOnceCannotBeAnsweredAgainOnAnotherInstance() {
		Map<String, Object> generated = RedisInstances
			.json(instances.postJson(0, "/captcha/generate",
					Map.of("site_key", RedisInstances.SITE_KEY, "type", "math")))
			.propertyStream()
			.filter((entry) -> entry.getKey().equals("captcha_id"))
			.collect(Collectors.toMap(Map.Entry::getKey, (entry) -> entry.getValue().stringValue()));
		Map<String, Object> answer = Map.of("site_key", RedisInstances.SITE_KEY, "captcha_id",
				generated.get("captcha_id"), "user_input", "-1");

		HttpResponse<String> wrong = instances.postJson(1, "/captcha/validate", answer);
		HttpResponse<String> again = instances.postJson(2, "/captcha/validate", answer);

		assertThat(wrong.statusCode()).isEqualTo(200);
		assertThat(RedisInstances.json(wrong).get("valid").booleanValue()).isFalse();
		assertThat(again.statusCode()).isEqualTo(400);
	}

	@Test
	void concurrentSubmissionsOfOneTokenOverAllInstancesGiveOneSuccessAndOneProviderCall() throws Exception {
		String token = "hosted-" + UUID.randomUUID();
		int submissions = 200;

		List<Integer> statuses = StoreContractTests.concurrently(submissions,
				() -> instances
					.submit(submissionNumber(), "/api/hosted", token, "198.51.100." + (submissionNumber() % 250))
					.statusCode());

		Map<Integer, Long> byStatus = statuses.stream()
			.collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
		assertThat(byStatus).containsEntry(200, 1L).containsEntry(403, (long) submissions - 1);
		assertThat(provider.findAll(postRequestedFor(urlPathEqualTo("/siteverify")))).hasSize(1);
		assertThat(RedisStoreApplication.protectedCalls).hasValue(1);
	}

	@Test
	void failuresSpreadOverTheInstancesReachTheBlockThresholdTogether() {
		String client = "203.0.113.9";
		for (int i = 0; i < 6; i++) {
			HttpResponse<String> failed = instances.submit(i, "/api/hosted", "bad-" + UUID.randomUUID(), client);
			assertThat(RedisInstances.code(failed)).isEqualTo("captcha_invalid");
		}

		for (int i = 0; i < instances.size(); i++) {
			HttpResponse<String> blocked = instances.submit(i, "/api/hosted", "good-" + UUID.randomUUID(), client);
			assertThat(blocked.statusCode()).isEqualTo(429);
			assertThat(RedisInstances.code(blocked)).isEqualTo("captcha_rate_limited");
		}
		assertThat(instances.submit(0, "/api/hosted", "good-" + UUID.randomUUID(), "203.0.113.10").statusCode())
			.isEqualTo(200);
	}

	@Test
	void failedLoginsOnDifferentInstancesAreCountedTogether() {
		for (int i = 0; i < 3; i++) {
			HttpResponse<String> failed = instances.login(i, "alice", "wrong", "192.0.2." + (10 + i));
			assertThat(failed.headers().firstValue("Location"))
				.hasValueSatisfying((location) -> assertThat(location).endsWith("/login?error"));
		}

		HttpResponse<String> withoutCaptcha = instances.login(0, "alice", "wonderland", "192.0.2.20");

		assertThat(withoutCaptcha.headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/login?error"));
	}

	private static int submissionNumber() {
		return submission.getAndIncrement();
	}

}
