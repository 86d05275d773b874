package io.github.captchasecurity.store.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import io.github.captchasecurity.store.CaptchaStoreException;
import io.github.captchasecurity.store.StoreOperationListener;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Redis commands the stores use, each bounded by the store timeout and turned into a
 * {@link CaptchaStoreException} when it fails or takes too long. Keys are the prefix, a
 * kind and a hash of the caller's key, so no token, answer, account or IP address reaches
 * Redis as a key. Every key gets a TTL.
 * <p>
 * The reactive API lets a blocking call give up after the timeout without a thread hop; a
 * command given up on is cancelled, so Lettuce does not send it once the connection is
 * back.
 */
final class RedisStoreOperations {

	/**
	 * One failure or request in a fixed window that starts with the first one: INCR, and
	 * PEXPIRE when the key is new (or lost its TTL). Answers "count ttl-millis".
	 */
	private static final RedisScript<String> COUNT_IN_WINDOW = RedisScript.of("""
			local count = redis.call('INCR', KEYS[1])
			local ttl = redis.call('PTTL', KEYS[1])
			if count == 1 or ttl < 0 then
				redis.call('PEXPIRE', KEYS[1], ARGV[1])
				ttl = tonumber(ARGV[1])
			end
			return count .. ' ' .. ttl
			""", String.class);

	/**
	 * Reserve an attempt: INCR unless the count already reached the limit (ARGV[1]);
	 * PEXPIRE (ARGV[2]) when the key is new. Answers the count with this attempt, or -1
	 * when refused.
	 */
	private static final RedisScript<Long> RESERVE = RedisScript.of("""
			local count = tonumber(redis.call('GET', KEYS[1]) or '0')
			if count >= tonumber(ARGV[1]) then
				return -1
			end
			count = redis.call('INCR', KEYS[1])
			local ttl = redis.call('PTTL', KEYS[1])
			if count == 1 or ttl < 0 then
				redis.call('PEXPIRE', KEYS[1], ARGV[2])
			end
			return count
			""", Long.class);

	/**
	 * Give a reservation back: DECR while the window (the key) lasts and its count is
	 * above 0.
	 */
	private static final RedisScript<Long> RELEASE = RedisScript.of("""
			local count = tonumber(redis.call('GET', KEYS[1]) or '0')
			if count > 0 then
				return redis.call('DECR', KEYS[1])
			end
			return 0
			""", Long.class);

	/** GET and DEL in one step (GETDEL needs Redis 6.2). */
	private static final RedisScript<String> TAKE = RedisScript.of("""
			local value = redis.call('GET', KEYS[1])
			if value then
				redis.call('DEL', KEYS[1])
			end
			return value
			""", String.class);

	private final ReactiveStringRedisTemplate redis;

	private final String prefix;

	private final Duration timeout;

	private final List<StoreOperationListener> listeners;

	RedisStoreOperations(ReactiveStringRedisTemplate redis, String prefix, Duration timeout) {
		this(redis, prefix, timeout, List.of());
	}

	RedisStoreOperations(ReactiveStringRedisTemplate redis, String prefix, Duration timeout,
			List<StoreOperationListener> listeners) {
		this.redis = Objects.requireNonNull(redis, "redis");
		this.prefix = Objects.requireNonNull(prefix, "prefix");
		this.timeout = Objects.requireNonNull(timeout, "timeout");
		this.listeners = List.copyOf(listeners);
	}

	/**
	 * The Redis key of a caller's key: {@code <prefix><kind>:<hash>}, the hash being the
	 * first 96 bits of the key's SHA-256 in base64url (16 characters). Short on purpose:
	 * with the default prefix a replay key is 26 bytes, which keeps Redis's allocation
	 * per key in the smallest size class that fits (see the README's sizing).
	 * @param kind what the key is for, such as {@code replay}
	 * @param callerKey the caller's key
	 * @return the Redis key
	 */
	String key(String kind, String callerKey) {
		byte[] digest;
		try {
			digest = MessageDigest.getInstance("SHA-256").digest(callerKey.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
		return this.prefix + kind + ":"
				+ Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 16);
	}

	/**
	 * SET key value NX PX ttl: whether the key was new.
	 * @param key the Redis key
	 * @param value the value
	 * @param ttl the time to live
	 * @return whether the key was set
	 */
	boolean setIfAbsent(String key, String value, Duration ttl) {
		return Boolean.TRUE.equals(block("SET NX", this.redis.opsForValue().setIfAbsent(key, value, positive(ttl))));
	}

	/**
	 * SET key value PX ttl.
	 * @param key the Redis key
	 * @param value the value
	 * @param ttl the time to live
	 */
	void set(String key, String value, Duration ttl) {
		block("SET", this.redis.opsForValue().set(key, value, positive(ttl)));
	}

	/**
	 * GET.
	 * @param key the Redis key
	 * @return the value, or null if there is none
	 */
	@Nullable String get(String key) {
		return block("GET", this.redis.opsForValue().get(key));
	}

	/**
	 * GET and DEL, atomically.
	 * @param key the Redis key
	 * @return the value, or null if there was none
	 */
	@Nullable String take(String key) {
		return block("GET+DEL", this.redis.execute(TAKE, List.of(key), List.of()).next());
	}

	/**
	 * DEL.
	 * @param key the Redis key
	 */
	void delete(String key) {
		block("DEL", this.redis.delete(key));
	}

	/**
	 * PTTL: the time to live, {@link Duration#ZERO} if the key is gone or has none.
	 * @param key the Redis key
	 * @return the time to live
	 */
	Duration timeToLive(String key) {
		Duration ttl = block("PTTL", this.redis.getExpire(key));
		return (ttl == null || ttl.isNegative()) ? Duration.ZERO : ttl;
	}

	/**
	 * Count one event in the key's fixed window: the count, this one included, and what
	 * is left of the window.
	 * @param key the Redis key
	 * @param window the length of the window
	 * @return the count and what is left of the window
	 */
	Window countInWindow(String key, Duration window) {
		String answer = block("INCR window",
				this.redis.execute(COUNT_IN_WINDOW, List.of(key), List.of(Long.toString(positive(window).toMillis())))
					.next());
		if (answer == null) {
			throw new CaptchaStoreException("Redis INCR window gave no answer");
		}
		int space = answer.indexOf(' ');
		try {
			return new Window(Long.parseLong(answer.substring(0, space)),
					Duration.ofMillis(Long.parseLong(answer.substring(space + 1))));
		}
		catch (RuntimeException ex) {
			throw new CaptchaStoreException("Redis INCR window gave an unreadable answer", ex);
		}
	}

	/**
	 * Reserve one attempt in the key's fixed window unless the limit is reached,
	 * atomically.
	 * @param key the Redis key
	 * @param limit the most attempts in a window
	 * @param window the length of the window
	 * @return whether the attempt was counted
	 */
	boolean reserve(String key, long limit, Duration window) {
		Long count = block("INCR reserve",
				this.redis
					.execute(RESERVE, List.of(key),
							List.of(Long.toString(limit), Long.toString(positive(window).toMillis())))
					.next());
		if (count == null) {
			throw new CaptchaStoreException("Redis INCR reserve gave no answer");
		}
		return count > 0;
	}

	/**
	 * Give back one attempt reserved in the key's current window, if it still lasts.
	 * @param key the Redis key
	 */
	void release(String key) {
		block("DECR release", this.redis.execute(RELEASE, List.of(key), List.of()).next());
	}

	private <T> @Nullable T block(String operation, Mono<T> command) {
		long start = this.listeners.isEmpty() ? 0 : System.nanoTime();
		StoreOperationListener.Outcome outcome = StoreOperationListener.Outcome.SUCCESS;
		try {
			return command.block(this.timeout);
		}
		catch (RuntimeException ex) {
			if (ex instanceof IllegalStateException && String.valueOf(ex.getMessage()).startsWith("Timeout")) {
				outcome = StoreOperationListener.Outcome.TIMEOUT;
				throw new CaptchaStoreException("Redis " + operation + " took longer than " + this.timeout, ex);
			}
			outcome = StoreOperationListener.Outcome.ERROR;
			throw new CaptchaStoreException("Redis " + operation + " failed: " + ex.getClass().getSimpleName(), ex);
		}
		finally {
			if (!this.listeners.isEmpty()) {
				report(operation, outcome, Duration.ofNanos(System.nanoTime() - start));
			}
		}
	}

	private void report(String operation, StoreOperationListener.Outcome outcome, Duration duration) {
		// fixed names: "SET NX" is set-nx, "GET+DEL" get-del, "INCR window" incr-window
		String name = operation.toLowerCase(Locale.ROOT).replace(' ', '-').replace('+', '-');
		for (StoreOperationListener listener : this.listeners) {
			try {
				listener.onStoreOperation(name, outcome, duration);
			}
			catch (RuntimeException ex) {
				// listeners must not throw; a failing one must not fail the store
			}
		}
	}

	private static Duration positive(Duration ttl) {
		return (ttl.toMillis() < 1) ? Duration.ofMillis(1) : ttl;
	}

	/**
	 * A count and what is left of its window.
	 *
	 * @param count the count in the current window
	 * @param remaining the time left before the window ends
	 */
	record Window(long count, Duration remaining) {
	}

}
