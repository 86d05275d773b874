package io.github.captchasecurity.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.github.captchasecurity.TokenDigest;
import io.github.captchasecurity.replay.ReplayCache;
import io.github.captchasecurity.store.redis.CaptchaRedisStoreAutoConfiguration;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Redis memory per million live replay keys: writes {@code count} (default 1,000,000)
 * token digests through the real Redis replay cache ({@code captcha.store.type=redis}) to
 * a local redis-server and prints {@code used_memory} from {@code INFO memory} before and
 * after. Run it against a scratch redis-server: it does not delete its keys (they expire
 * after the TTL, 10 minutes).
 *
 * <pre>
 * redis-server --port 6390 --save "" --appendonly no &amp;
 * java -cp benchmarks/target/benchmarks.jar io.github.captchasecurity.benchmarks.RedisReplayMemory 6390 1000000
 * </pre>
 */
public final class RedisReplayMemory {

	private RedisReplayMemory() {
	}

	/**
	 * Run the measurement.
	 * @param args the Redis port (default 6379) and the number of keys (default
	 * 1,000,000)
	 * @throws Exception if the run fails
	 */
	public static void main(String[] args) throws Exception {
		int port = (args.length > 0) ? Integer.parseInt(args[0]) : 6379;
		int count = (args.length > 1) ? Integer.parseInt(args[1]) : 1_000_000;
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Config.class)
			.web(WebApplicationType.NONE)
			.properties("captcha.store.type=redis", "spring.data.redis.host=127.0.0.1",
					"spring.data.redis.port=" + port, "captcha.store.timeout=5s", "spring.main.banner-mode=off")
			.run()) {
			ReplayCache cache = context.getBean(ReplayCache.class);
			RedisConnectionFactory redis = context.getBean(RedisConnectionFactory.class);
			long before = usedMemory(redis);
			long start = System.nanoTime();
			int threads = 32;
			ExecutorService pool = Executors.newFixedThreadPool(threads);
			List<Future<?>> done = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int first = t;
				done.add(pool.submit(() -> {
					for (int i = first; i < count; i += threads) {
						cache.markUsed(TokenDigest.sha256Hex("token-" + i + "-" + start), Duration.ofMinutes(10));
					}
				}));
			}
			for (Future<?> future : done) {
				future.get();
			}
			pool.shutdown();
			double seconds = (System.nanoTime() - start) / 1e9;
			long after = usedMemory(redis);
			System.out.printf("%,d replay keys in %.1f s (%,.0f/s)%n", count, seconds, count / seconds);
			System.out.printf("used_memory before %,d B, after %,d B: %.1f MB per million keys (%.0f B per key)%n",
					before, after, (after - before) / 1e6 * 1_000_000 / count, (after - before) / (double) count);
		}
	}

	private static long usedMemory(RedisConnectionFactory redis) {
		try (var connection = redis.getConnection()) {
			Properties info = connection.serverCommands().info("memory");
			return Long.parseLong(String.valueOf(info.getProperty("used_memory")));
		}
	}

	@SpringBootConfiguration
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, CaptchaRedisStoreAutoConfiguration.class })
	static class Config {

	}

}
