package io.github.captchasecurity.store.redis;

import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the real redis-server: {@code captcha.store.operations} times each Redis command
 * by fixed operation name and outcome (never a key), and the {@code store} component of
 * the {@code captcha} health contributor goes DOWN while Redis is down and UP once it is
 * back.
 */
class RedisStoreMetricsTests {

	@RegisterExtension
	static final RedisServerExtension redis = new RedisServerExtension();

	private static WireMockServer provider;

	private static RedisInstances instance;

	@BeforeAll
	static void start() {
		provider = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
		provider.start();
		provider.stubFor(post(urlPathEqualTo("/siteverify"))
			.willReturn(aResponse().withHeader("Content-Type", "application/json")
				.withBody("{\"success\":true,\"hostname\":\"localhost\"}")));
		instance = new RedisInstances(1, redis.port(), provider.baseUrl() + "/siteverify",
				"captcha.store.timeout=300ms", "captcha.health.window=2");
	}

	@AfterAll
	static void stop() {
		if (instance != null) {
			instance.close();
		}
		if (provider != null) {
			provider.stop();
		}
	}

	@Test
	void redisCommandsThenTimedByOperationAndOutcomeAndStoreHealthFollowsOutages() throws Exception {
		String token = instance.passToken(0, 0);
		assertThat(instance.submit(0, "/api/builtin", token, "198.51.100.31").statusCode()).isEqualTo(200);
		assertThat(instance.submit(0, "/api/hosted", "tok-" + UUID.randomUUID(), "198.51.100.31").statusCode())
			.isEqualTo(200);
		MeterRegistry meters = instance.context(0).getBean(MeterRegistry.class);
		assertThat(meters.find("captcha.store.operations").timers()).isNotEmpty()
			.allSatisfy(
					(timer) -> assertThat(timer.getId().getTags().stream().map(Tag::getKey).collect(Collectors.toSet()))
						.isEqualTo(Set.of("operation", "outcome")));
		assertThat(values(meters, "operation")).contains("set", "get-del", "set-nx")
			.allSatisfy((operation) -> assertThat(operation).matches("[a-z-]+"));
		assertThat(values(meters, "outcome")).containsExactly("success");
		assertThat(health("store").getStatus()).isEqualTo(Status.UP);
		assertThat(health("store").getDetails()).containsEntry("type", "redis");

		redis.stop();
		try {
			for (int i = 0; i < 2; i++) {
				assertThat(RedisInstances
					.code(instance.submit(0, "/api/hosted", "tok-" + UUID.randomUUID(), "198.51.100.32")))
					.isEqualTo("captcha_store_unavailable");
			}
			assertThat(values(meters, "outcome")).contains("success").containsAnyOf("error", "timeout");
			Health down = health("store");
			assertThat(down.getStatus()).isEqualTo(Status.DOWN);
			assertThat(down.getDetails()).containsEntry("errors", 2).containsKey("lastFailure");
		}
		finally {
			redis.start();
		}
		long deadline = System.nanoTime() + 10_000_000_000L;
		int status = 0;
		while (status != 200 && System.nanoTime() < deadline) {
			status = instance.submit(0, "/api/hosted", "tok-" + UUID.randomUUID(), "198.51.100.33").statusCode();
			if (status != 200) {
				Thread.sleep(100);
			}
		}
		assertThat(status).isEqualTo(200);
		instance.submit(0, "/api/hosted", "tok-" + UUID.randomUUID(), "198.51.100.33");
		assertThat(health("store").getStatus()).isEqualTo(Status.UP);
		assertThat(meters.getMeters()).allSatisfy(
				(meter) -> assertThat(meter.getId().getTags().toString()).doesNotContain("it:", "198.51.100", "tok-"));
		assertThat(meters.find("captcha.store.operations").timers()).extracting(Timer::count)
			.allSatisfy((count) -> assertThat(count).isPositive());
	}

	private static Set<String> values(MeterRegistry meters, String key) {
		return meters.find("captcha.store.operations")
			.timers()
			.stream()
			.map((timer) -> timer.getId().getTag(key))
			.collect(Collectors.toCollection(TreeSet::new));
	}

	private static Health health(String component) {
		CompositeHealthContributor captcha = instance.context(0)
			.getBean("captchaHealthContributor", CompositeHealthContributor.class);
		return ((HealthIndicator) captcha.getContributor(component)).health();
	}

}
