package io.github.captchasecurity.store.redis;

import java.time.Clock;

import io.github.captchasecurity.abuse.CaffeineFailureCounter;
import io.github.captchasecurity.abuse.FailureCounter;
import io.github.captchasecurity.autoconfigure.CaptchaAutoConfiguration;
import io.github.captchasecurity.provider.builtin.CaffeineChallengeStore;
import io.github.captchasecurity.provider.builtin.CaffeineRateLimiter;
import io.github.captchasecurity.provider.builtin.ChallengeStore;
import io.github.captchasecurity.provider.builtin.RateLimiter;
import io.github.captchasecurity.replay.CaffeineReplayCache;
import io.github.captchasecurity.replay.ReplayCache;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which store {@code captcha.store.type} picks, back-off for the application's own
 * stores, and the start-up failures when Redis is asked for but not available.
 */
class CaptchaRedisStoreAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
				CaptchaRedisStoreAutoConfiguration.class, CaptchaAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=1");

	@Test
	void memoryByDefaultThenCaffeineStoresAndNoRedisStore() {
		this.contextRunner.run((context) -> {
			assertThat(context).doesNotHaveBean(RedisStoreOperations.class);
			assertThat(context.getBean(ReplayCache.class)).isInstanceOf(CaffeineReplayCache.class);
			assertThat(context.getBean(FailureCounter.class)).isInstanceOf(CaffeineFailureCounter.class);
			assertThat(context.getBean(ChallengeStore.class)).isInstanceOf(CaffeineChallengeStore.class);
			assertThat(context.getBean(RateLimiter.class)).isInstanceOf(CaffeineRateLimiter.class);
		});
	}

	@Test
	void redisTypeThenEveryStoreOnRedis() {
		this.contextRunner.withPropertyValues("captcha.store.type=redis").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(ReplayCache.class)).isInstanceOf(RedisReplayCache.class);
			assertThat(context.getBean(FailureCounter.class)).isInstanceOf(RedisFailureCounter.class);
			assertThat(context.getBean(ChallengeStore.class)).isInstanceOf(RedisChallengeStore.class);
			assertThat(context.getBean(RateLimiter.class)).isInstanceOf(RedisRateLimiter.class);
		});
	}

	@Test
	void redisTypeWithTheApplicationsOwnStoresThenTheyWin() {
		this.contextRunner.withPropertyValues("captcha.store.type=redis")
			.withUserConfiguration(OwnStores.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(ReplayCache.class)
					.hasSingleBean(FailureCounter.class)
					.hasSingleBean(ChallengeStore.class)
					.hasSingleBean(RateLimiter.class);
				assertThat(context.getBean(ReplayCache.class)).isSameAs(context.getBean(OwnStores.class).replay);
				assertThat(context.getBean(FailureCounter.class)).isInstanceOf(CaffeineFailureCounter.class);
				assertThat(context.getBean(ChallengeStore.class)).isInstanceOf(CaffeineChallengeStore.class);
				assertThat(context.getBean(RateLimiter.class)).isInstanceOf(CaffeineRateLimiter.class);
			});
	}

	@Test
	void memoryTypeWithTheApplicationsOwnStoresThenTheyWin() {
		this.contextRunner.withUserConfiguration(OwnStores.class).run((context) -> {
			assertThat(context).hasSingleBean(ReplayCache.class);
			assertThat(context.getBean(ReplayCache.class)).isSameAs(context.getBean(OwnStores.class).replay);
		});
	}

	@Test
	void redisTypeWithoutSpringDataRedisThenStartUpFailsNamingThePropertyAndTheDependency() {
		this.contextRunner.withPropertyValues("captcha.store.type=redis")
			.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("captcha.store.type=redis")
					.hasMessageContaining("spring-boot-starter-data-redis");
			});
	}

	@Test
	void redisTypeWithoutAConnectionFactoryThenStartUpFailsNamingThePropertyAndTheBean() {
		new WebApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(CaptchaRedisStoreAutoConfiguration.class, CaptchaAutoConfiguration.class))
			.withPropertyValues("captcha.store.type=redis")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("captcha.store.type=redis")
					.hasMessageContaining("RedisConnectionFactory")
					.hasMessageContaining("spring-boot-starter-data-redis");
			});
	}

	@Test
	void badStoreSettingsThenStartUpFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues("captcha.store.key-prefix=with space").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("captcha.store.key-prefix");
		});
		this.contextRunner.withPropertyValues("captcha.store.timeout=0s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("captcha.store.timeout");
		});
		this.contextRunner.withPropertyValues("captcha.store.type=mongo").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("captcha.store.type");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnStores {

		final ReplayCache replay = new CaffeineReplayCache(10);

		@Bean
		ReplayCache ownReplayCache() {
			return this.replay;
		}

		@Bean
		FailureCounter ownFailureCounter() {
			return new CaffeineFailureCounter(10, Clock.systemUTC());
		}

		@Bean
		ChallengeStore ownChallengeStore() {
			return new CaffeineChallengeStore(10);
		}

		@Bean
		RateLimiter ownRateLimiter() {
			return new CaffeineRateLimiter(10, Clock.systemUTC());
		}

	}

}
