package io.github.captchasecurity.store.redis;

import io.github.captchasecurity.abuse.FailureCounter;
import io.github.captchasecurity.autoconfigure.CaptchaAutoConfiguration;
import io.github.captchasecurity.autoconfigure.CaptchaProperties;
import io.github.captchasecurity.autoconfigure.ConditionalOnCaptchaEnabled;
import io.github.captchasecurity.provider.builtin.ChallengeStore;
import io.github.captchasecurity.provider.builtin.RateLimiter;
import io.github.captchasecurity.replay.ReplayCache;
import io.github.captchasecurity.store.StoreOperationListener;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * Auto-configuration of the Redis store, active with {@code captcha.store.type=redis}:
 * the replay cache, the failure counter (abuse control and failed logins), the built-in
 * provider's challenge store and rate limiter, all in the Redis that Spring Boot connects
 * to ({@code spring.data.redis.*}), through Boot's own {@link RedisConnectionFactory}
 * (Lettuce). Each bean backs off when the application defines its own. Without Spring
 * Data Redis on the classpath, or without a Lettuce connection factory, start-up fails
 * with a message naming {@code captcha.store.type}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(before = CaptchaAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnCaptchaEnabled
@ConditionalOnProperty(name = "captcha.store.type", havingValue = "redis")
@EnableConfigurationProperties(CaptchaProperties.class)
public final class CaptchaRedisStoreAutoConfiguration {

	static final String REACTIVE_FACTORY = "org.springframework.data.redis.connection.ReactiveRedisConnectionFactory";

	private CaptchaRedisStoreAutoConfiguration() {
	}

	/**
	 * Without Spring Data Redis there is no Redis store: refuse to start rather than
	 * silently use memory.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass(REACTIVE_FACTORY)
	static class MissingRedisConfiguration {

		MissingRedisConfiguration() {
			throw new IllegalStateException("captcha.store.type=redis needs Spring Data Redis with Lettuce on the "
					+ "classpath: add the dependency org.springframework.boot:spring-boot-starter-data-redis");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = REACTIVE_FACTORY)
	static class RedisStoreConfiguration {

		@Bean
		RedisStoreOperations captchaRedisStoreOperations(CaptchaProperties properties,
				ObjectProvider<RedisConnectionFactory> connectionFactories,
				ObjectProvider<StoreOperationListener> listeners) {
			RedisConnectionFactory factory = connectionFactories.getIfAvailable();
			if (factory == null) {
				throw new IllegalStateException("captcha.store.type=redis needs a RedisConnectionFactory bean: add "
						+ "org.springframework.boot:spring-boot-starter-data-redis and set spring.data.redis.*");
			}
			if (!(factory instanceof ReactiveRedisConnectionFactory reactive)) {
				throw new IllegalStateException("captcha.store.type=redis needs the Lettuce Redis client (a "
						+ "ReactiveRedisConnectionFactory), but the RedisConnectionFactory bean is a "
						+ factory.getClass().getName());
			}
			CaptchaProperties.Store store = properties.getStore();
			return new RedisStoreOperations(new ReactiveStringRedisTemplate(reactive), store.getKeyPrefix(),
					store.getTimeout(), listeners.orderedStream().toList());
		}

		@Bean
		@ConditionalOnMissingBean
		ReplayCache captchaRedisReplayCache(RedisStoreOperations redis) {
			return new RedisReplayCache(redis);
		}

		@Bean
		@ConditionalOnMissingBean
		FailureCounter captchaRedisFailureCounter(RedisStoreOperations redis) {
			return new RedisFailureCounter(redis, "f");
		}

		@Bean
		@ConditionalOnMissingBean
		ChallengeStore captchaRedisChallengeStore(RedisStoreOperations redis) {
			return new RedisChallengeStore(redis);
		}

		@Bean
		@ConditionalOnMissingBean
		RateLimiter captchaRedisRateLimiter(RedisStoreOperations redis) {
			return new RedisRateLimiter(redis);
		}

	}

}
