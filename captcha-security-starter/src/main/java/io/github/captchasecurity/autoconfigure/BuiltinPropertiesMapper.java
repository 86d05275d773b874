package io.github.captchasecurity.autoconfigure;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.github.captchasecurity.provider.builtin.BuiltinSettings;
import io.github.captchasecurity.provider.builtin.ChallengeType;
import io.github.captchasecurity.provider.builtin.PowComplexity;
import io.github.captchasecurity.provider.builtin.web.BuiltinCaptchaEndpointFilter;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.StringUtils;

/**
 * Maps {@code captcha.builtin.*}, the settings of the built-in provider type, to core's
 * {@link BuiltinSettings}, and checks the challenge types routes name.
 */
final class BuiltinPropertiesMapper {

	private static final Logger logger = LoggerFactory.getLogger(BuiltinPropertiesMapper.class);

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final List<String> ALGORITHMS = List.of("SHA-256", "SHA-384", "SHA-512", "PBKDF2/SHA-256",
			"PBKDF2/SHA-384", "PBKDF2/SHA-512");

	private BuiltinPropertiesMapper() {
	}

	/**
	 * The built-in settings, validated.
	 * @param builtin the properties
	 * @param explicit whether a provider of type builtin is configured (then site keys
	 * are required)
	 * @param used whether a provider of type builtin is in use, configured or implicit
	 * @return the settings
	 */
	static BuiltinSettings settings(CaptchaProperties.Builtin builtin, boolean explicit, boolean used) {
		byte[] key = signingKey(builtin.getSigningKey());
		PropertyChecks.requirePositive("builtin.challenge-ttl", builtin.getChallengeTtl());
		PropertyChecks.requirePositive("builtin.token-ttl", builtin.getTokenTtl());
		CaptchaProperties.Builtin.Limits limits = builtin.getLimits();
		atLeastOne("builtin.limits.generate-per-hour", limits.getGeneratePerHour());
		atLeastOne("builtin.limits.validate-per-hour", limits.getValidatePerHour());
		atLeastOne("builtin.limits.generate-per-client-per-hour", limits.getGeneratePerClientPerHour());
		atLeastOne("builtin.limits.validate-per-client-per-hour", limits.getValidatePerClientPerHour());
		CaptchaProperties.Builtin.Image image = builtin.getImage();
		PropertyChecks.require(image.getLength() >= 3 && image.getLength() <= 10, "builtin.image.length",
				image.getLength(), "must be between 3 and 10");
		PropertyChecks.require(image.getWidth() >= 60 && image.getWidth() <= 1000, "builtin.image.width",
				image.getWidth(), "must be between 60 and 1000");
		PropertyChecks.require(image.getHeight() >= 30 && image.getHeight() <= 400, "builtin.image.height",
				image.getHeight(), "must be between 30 and 400");
		int maxNumber = builtin.getPow().getMaxNumber();
		PropertyChecks.require(maxNumber >= 1_000 && maxNumber <= 10_000_000, "builtin.pow.max-number", maxNumber,
				"must be between 1000 and 10000000");
		PropertyChecks.require(builtin.getMaxChallenges() >= 1, "builtin.max-challenges", builtin.getMaxChallenges(),
				"must be at least 1");
		BuiltinSettings.Builder settings = BuiltinSettings.builder(key)
			.challengeTtl(builtin.getChallengeTtl())
			.tokenTtl(builtin.getTokenTtl())
			.limits(limits.getGeneratePerHour(), limits.getValidatePerHour())
			.clientLimits(limits.getGeneratePerClientPerHour(), limits.getValidatePerClientPerHour())
			.challengeTypes(challengeTypes(builtin))
			.bindIp(builtin.isBindIp())
			.image(image.getLength(), image.getWidth(), image.getHeight())
			.mathAsImage(builtin.getMath().isAsImage())
			.powMaxNumber(maxNumber);
		pow(builtin.getPow(), settings);
		String hmacKey = builtin.getAltcha().getHmacKey();
		if (StringUtils.hasText(hmacKey)) {
			PropertyChecks.require(hmacKey.length() >= 32 && hmacKey.strip().equals(hmacKey), "builtin.altcha.hmac-key",
					PropertyChecks.HIDDEN,
					"must be at least 32 characters, without leading or trailing spaces; generate one with: "
							+ "openssl rand -hex 32");
			settings.altchaHmacKey(hmacKey);
		}
		allowedOrigins(builtin.getCors().getAllowedOrigins());
		List<String> siteKeys = builtin.getSiteKeys();
		for (int i = 0; i < siteKeys.size(); i++) {
			try {
				settings.siteKeys(List.of(siteKeys.get(i)));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidConfigurationPropertyValueException(
						PropertyChecks.PREFIX + ".builtin.site-keys[" + i + "]", PropertyChecks.HIDDEN,
						ex.getMessage());
			}
		}
		PropertyChecks.require(!explicit || !siteKeys.isEmpty(), "builtin.site-keys", null,
				"needs at least one site key for the providers of type builtin");
		if (used && !StringUtils.hasText(builtin.getSigningKey())) {
			logger.warn("captcha.builtin.signing-key is not set: using a random key, so built-in pass tokens and "
					+ "proof-of-work challenges neither survive a restart nor work across instances");
		}
		return settings.build();
	}

	private static void pow(CaptchaProperties.Builtin.Pow pow, BuiltinSettings.Builder settings) {
		String algorithm = (pow.getAlgorithm() != null) ? pow.getAlgorithm().trim().toUpperCase(Locale.ROOT) : "";
		PropertyChecks.require(ALGORITHMS.contains(algorithm), "builtin.pow.algorithm", pow.getAlgorithm(),
				"must be one of " + String.join(", ", ALGORITHMS));
		requireCost("builtin.pow.cost", pow.getCost());
		settings.powV2(algorithm, pow.getCost());
		List<PowComplexity> complexities = new ArrayList<>();
		List<CaptchaProperties.Builtin.Pow.Complexity> configured = pow.getComplexity();
		for (int i = 0; i < configured.size(); i++) {
			CaptchaProperties.Builtin.Pow.Complexity complexity = configured.get(i);
			String property = "builtin.pow.complexity[" + i + "]";
			String siteKey = PropertyChecks.trimmed(complexity.getSiteKey());
			String action = PropertyChecks.trimmed(complexity.getAction());
			PropertyChecks.require(siteKey != null || action != null, property, null,
					"needs a site-key, an action or both");
			PropertyChecks.require(action == null || action.matches("[A-Za-z0-9/_-]{1,64}"), property + ".action",
					action, "must be 1 to 64 letters, digits, '/', '_' or '-'");
			int maxNumber = (complexity.getMaxNumber() != null) ? complexity.getMaxNumber() : pow.getMaxNumber();
			PropertyChecks.require(maxNumber >= 1_000 && maxNumber <= 10_000_000, property + ".max-number", maxNumber,
					"must be between 1000 and 10000000");
			int cost = (complexity.getCost() != null) ? complexity.getCost() : pow.getCost();
			requireCost(property + ".cost", cost);
			try {
				complexities.add(new PowComplexity(siteKey, action, maxNumber, cost));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidConfigurationPropertyValueException(
						PropertyChecks.PREFIX + "." + property + ".site-key", siteKey, ex.getMessage());
			}
		}
		settings.powComplexity(complexities);
	}

	private static void requireCost(String property, int cost) {
		PropertyChecks.require(cost >= 1 && cost <= 100_000, property, cost, "must be between 1 and 100000");
	}

	// Check captcha.builtin.cors.allowed-origins: origins, or * alone.
	static List<String> allowedOrigins(@Nullable List<String> origins) {
		if (origins == null) {
			return List.of();
		}
		List<String> checked = new ArrayList<>();
		for (int i = 0; i < origins.size(); i++) {
			try {
				checked.add(BuiltinCaptchaEndpointFilter.requireOrigin(origins.get(i)));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidConfigurationPropertyValueException(
						PropertyChecks.PREFIX + ".builtin.cors.allowed-origins[" + i + "]", origins.get(i),
						ex.getMessage());
			}
		}
		PropertyChecks.require(!checked.contains("*") || checked.size() == 1, "builtin.cors.allowed-origins", origins,
				"'*' (any origin) must be the only entry; credentials are never allowed either way");
		return checked;
	}

	/**
	 * The challenge types {@code captcha.builtin.challenge-types} allows, validated.
	 * @param builtin the built-in properties
	 * @return the allowed types
	 */
	static Set<ChallengeType> challengeTypes(CaptchaProperties.Builtin builtin) {
		List<String> names = builtin.getChallengeTypes();
		PropertyChecks.require(names != null && !names.isEmpty(), "builtin.challenge-types", names,
				"needs at least one of image, math, grid, pow");
		Set<ChallengeType> types = EnumSet.noneOf(ChallengeType.class);
		for (int i = 0; i < names.size(); i++) {
			ChallengeType type = ChallengeType.fromWireName(names.get(i));
			PropertyChecks.require(type != null, "builtin.challenge-types[" + i + "]", names.get(i),
					"is not a challenge type: one of image, math, grid, pow");
			types.add(type);
		}
		return types;
	}

	/**
	 * Check the challenge types a route names: known, allowed by
	 * {@code captcha.builtin.challenge-types}.
	 * @param property the property naming the types, for the messages
	 * @param names the names configured, or null
	 * @param settings the built-in settings
	 * @param configured the value of {@code captcha.builtin.challenge-types}, for the
	 * message
	 * @return the lower-case wire names
	 */
	static List<String> routeChallengeTypes(String property, @Nullable List<String> names, BuiltinSettings settings,
			List<String> configured) {
		if (names == null || names.isEmpty()) {
			return List.of();
		}
		List<String> types = new ArrayList<>();
		for (int i = 0; i < names.size(); i++) {
			ChallengeType type = ChallengeType.fromWireName(names.get(i));
			PropertyChecks.require(type != null, property + "[" + i + "]", names.get(i),
					"is not a challenge type: one of image, math, grid, pow");
			PropertyChecks.require(settings.challengeTypes().contains(type), property + "[" + i + "]", names.get(i),
					"is not allowed by " + PropertyChecks.PREFIX + ".builtin.challenge-types " + configured);
			types.add(type.wireName());
		}
		return types;
	}

	/**
	 * The strongest challenge type allowed, asked of escalations that name none.
	 * @param settings the built-in settings
	 * @return the wire name of the strongest type
	 */
	static String strongestChallengeType(BuiltinSettings settings) {
		return ChallengeType.strongest(settings.challengeTypes()).wireName();
	}

	private static void atLeastOne(String property, int value) {
		PropertyChecks.require(value >= 1, property, value, "must be at least 1");
	}

	private static byte[] signingKey(@Nullable String value) {
		if (!StringUtils.hasText(value)) {
			byte[] random = new byte[32];
			RANDOM.nextBytes(random);
			return random;
		}
		byte[] key;
		try {
			key = Base64.getDecoder().decode(value.trim());
		}
		catch (IllegalArgumentException ex) {
			try {
				key = Base64.getUrlDecoder().decode(value.trim());
			}
			catch (IllegalArgumentException again) {
				throw new InvalidConfigurationPropertyValueException(PropertyChecks.PREFIX + ".builtin.signing-key",
						PropertyChecks.HIDDEN, "must be base64");
			}
		}
		if (key.length < BuiltinSettings.MIN_SIGNING_KEY_BYTES) {
			throw new InvalidConfigurationPropertyValueException(PropertyChecks.PREFIX + ".builtin.signing-key",
					PropertyChecks.HIDDEN,
					"must be at least 256 bits (32 bytes) once base64-decoded; generate one with: openssl rand -base64 32");
		}
		return key;
	}

}
