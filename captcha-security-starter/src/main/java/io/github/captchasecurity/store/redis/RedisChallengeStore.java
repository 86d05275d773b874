package io.github.captchasecurity.store.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.captchasecurity.provider.ProviderJson;
import io.github.captchasecurity.provider.builtin.Challenge;
import io.github.captchasecurity.provider.builtin.ChallengeStore;
import io.github.captchasecurity.provider.builtin.ChallengeType;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A {@link ChallengeStore} in Redis: {@code <prefix>c:<hash of the id>} holds the
 * challenge as compact JSON (site key, type, expected answer, action, client IP, expiry),
 * exactly what the memory store keeps, with the challenge's TTL. {@link #take(String)}
 * reads and deletes it in one script, so of instances racing to validate one challenge
 * only one gets it; {@link #peek(String)} reads without deleting (the audio form of an
 * image challenge).
 */
final class RedisChallengeStore implements ChallengeStore {

	private final RedisStoreOperations redis;

	RedisChallengeStore(RedisStoreOperations redis) {
		this.redis = redis;
	}

	@Override
	public void save(Challenge challenge, Duration ttl) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("s", challenge.siteKey());
		json.put("t", challenge.type().wireName());
		json.put("a", challenge.answer());
		if (challenge.action() != null) {
			json.put("c", challenge.action());
		}
		if (challenge.clientIp() != null) {
			json.put("i", challenge.clientIp());
		}
		json.put("e", challenge.expiresAt().toEpochMilli());
		this.redis.set(key(challenge.id()), new String(ProviderJson.write(json), StandardCharsets.UTF_8), ttl);
	}

	@Override
	public @Nullable Challenge take(String id) {
		return parse(id, this.redis.take(key(id)));
	}

	@Override
	public @Nullable Challenge peek(String id) {
		return parse(id, this.redis.get(key(id)));
	}

	private static @Nullable Challenge parse(String id, @Nullable String value) {
		if (value == null) {
			return null;
		}
		JsonNode json = ProviderJson.parseObject(value.getBytes(StandardCharsets.UTF_8));
		if (json == null) {
			return null;
		}
		String siteKey = text(json, "s");
		ChallengeType type = ChallengeType.fromWireName(text(json, "t"));
		String answer = text(json, "a");
		JsonNode expires = json.get("e");
		if (siteKey == null || type == null || answer == null || expires == null || !expires.canConvertToLong()) {
			// not written by this class: treat as unknown, like an expired challenge
			return null;
		}
		return new Challenge(id, siteKey, type, answer, text(json, "c"), text(json, "i"),
				Instant.ofEpochMilli(expires.longValue()));
	}

	private String key(String id) {
		return this.redis.key("c", id);
	}

	private static @Nullable String text(JsonNode json, String field) {
		JsonNode value = json.get(field);
		return (value != null && value.isString()) ? value.stringValue() : null;
	}

}
