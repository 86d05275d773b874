package io.github.captchasecurity.provider.builtin;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Settings of the built-in provider. Immutable; create with {@link #builder(byte[])}.
 *
 * @since 0.1.0
 */
public final class BuiltinSettings {

	/** The shortest signing key accepted: 256 bits. */
	public static final int MIN_SIGNING_KEY_BYTES = 32;

	private final Set<String> siteKeys;

	private final byte[] signingKey;

	private final Duration challengeTtl;

	private final Duration tokenTtl;

	private final int generatePerHour;

	private final int validatePerHour;

	private final int generatePerClientPerHour;

	private final int validatePerClientPerHour;

	private final Set<ChallengeType> challengeTypes;

	private final boolean bindIp;

	private final int imageLength;

	private final int imageWidth;

	private final int imageHeight;

	private final boolean mathAsImage;

	private final int powMaxNumber;

	private final String powAlgorithm;

	private final int powCost;

	private final List<PowComplexity> powComplexity;

	private final byte @Nullable [] altchaHmacKey;

	private BuiltinSettings(Builder builder) {
		this.siteKeys = Set.copyOf(builder.siteKeys);
		this.signingKey = builder.signingKey.clone();
		this.challengeTtl = builder.challengeTtl;
		this.tokenTtl = builder.tokenTtl;
		this.generatePerHour = builder.generatePerHour;
		this.validatePerHour = builder.validatePerHour;
		this.generatePerClientPerHour = builder.generatePerClientPerHour;
		this.validatePerClientPerHour = builder.validatePerClientPerHour;
		this.challengeTypes = Set.copyOf(builder.challengeTypes);
		this.bindIp = builder.bindIp;
		this.imageLength = builder.imageLength;
		this.imageWidth = builder.imageWidth;
		this.imageHeight = builder.imageHeight;
		this.mathAsImage = builder.mathAsImage;
		this.powMaxNumber = builder.powMaxNumber;
		this.powAlgorithm = builder.powAlgorithm;
		this.powCost = builder.powCost;
		this.powComplexity = List.copyOf(builder.powComplexity);
		this.altchaHmacKey = (builder.altchaHmacKey != null) ? builder.altchaHmacKey.clone() : null;
	}

	/**
	 * Start building settings.
	 * @param signingKey the HMAC key for pass tokens and proof-of-work challenges, at
	 * least 32 bytes
	 * @return a builder with the defaults
	 * @throws IllegalArgumentException if the key is shorter than 256 bits
	 */
	public static Builder builder(byte[] signingKey) {
		return new Builder(signingKey);
	}

	/**
	 * Return the accepted site keys: plain keys, or {@code sha256:<hex>} digests of keys.
	 * @return the site keys
	 */
	public Set<String> siteKeys() {
		return this.siteKeys;
	}

	byte[] signingKey() {
		return this.signingKey;
	}

	/**
	 * Return how long a challenge may be answered.
	 * @return the challenge lifetime
	 */
	public Duration challengeTtl() {
		return this.challengeTtl;
	}

	/**
	 * Return how long a pass token is valid.
	 * @return the token lifetime
	 */
	public Duration tokenTtl() {
		return this.tokenTtl;
	}

	/**
	 * Return the generate requests allowed per site key and hour.
	 * @return the limit
	 */
	public int generatePerHour() {
		return this.generatePerHour;
	}

	/**
	 * Return the validate requests allowed per site key and hour.
	 * @return the limit
	 */
	public int validatePerHour() {
		return this.validatePerHour;
	}

	/**
	 * Return the generate requests allowed per client IP and hour, counted before the
	 * site key's limit.
	 * @return the limit
	 */
	public int generatePerClientPerHour() {
		return this.generatePerClientPerHour;
	}

	/**
	 * Return the validate requests allowed per client IP and hour, counted before the
	 * site key's limit.
	 * @return the limit
	 */
	public int validatePerClientPerHour() {
		return this.validatePerClientPerHour;
	}

	/**
	 * Return the challenge types the site keys allow: {@code generate} refuses others and
	 * their tokens are refused ({@code captcha_challenge_type_mismatch}).
	 * @return the types, never empty
	 */
	public Set<ChallengeType> challengeTypes() {
		return this.challengeTypes;
	}

	/**
	 * Whether pass tokens are bound to the client IP that solved the challenge.
	 * @return {@code true} when bound
	 */
	public boolean bindIp() {
		return this.bindIp;
	}

	/**
	 * Return the number of characters of an image challenge.
	 * @return the length
	 */
	public int imageLength() {
		return this.imageLength;
	}

	/**
	 * Return the width of an image challenge in pixels.
	 * @return the width
	 */
	public int imageWidth() {
		return this.imageWidth;
	}

	/**
	 * Return the height of an image challenge in pixels.
	 * @return the height
	 */
	public int imageHeight() {
		return this.imageHeight;
	}

	/**
	 * Whether math questions are also rendered as an image.
	 * @return {@code true} when rendered
	 */
	public boolean mathAsImage() {
		return this.mathAsImage;
	}

	/**
	 * Return the upper bound of the secret number of a proof-of-work challenge.
	 * @return the maximum number
	 */
	public int powMaxNumber() {
		return this.powMaxNumber;
	}

	/**
	 * Return the key derivation of ALTCHA v2 challenges.
	 * @return the algorithm, such as {@code SHA-256} or {@code PBKDF2/SHA-256}
	 */
	public String powAlgorithm() {
		return this.powAlgorithm;
	}

	/**
	 * Return the cost (rounds or iterations of one key derivation) of ALTCHA v2
	 * challenges.
	 * @return the cost
	 */
	public int powCost() {
		return this.powCost;
	}

	/**
	 * Return the per site key or action proof-of-work complexities, first match wins.
	 * @return the complexities, possibly empty
	 */
	public List<PowComplexity> powComplexity() {
		return this.powComplexity;
	}

	/**
	 * Whether proof-of-work challenges are signed with a shared ALTCHA HMAC key (so
	 * altcha-lib verifies ours and we verify its) instead of a key derived from the
	 * signing key.
	 * @return {@code true} when an ALTCHA HMAC key is set
	 */
	public boolean hasAltchaHmacKey() {
		return this.altchaHmacKey != null;
	}

	byte @Nullable [] altchaHmacKey() {
		return this.altchaHmacKey;
	}

	// Over 300 lines only because each of the fifteen settings has a documented accessor
	// and a documented,
	// checked builder method: there is no logic to split out.

	/**
	 * Builds {@link BuiltinSettings}. Not thread-safe.
	 *
	 * @since 0.1.0
	 */
	public static final class Builder {

		private final Set<String> siteKeys = new LinkedHashSet<>();

		private final byte[] signingKey;

		private Duration challengeTtl = Duration.ofMinutes(5);

		private Duration tokenTtl = Duration.ofMinutes(5);

		private int generatePerHour = 100;

		private int validatePerHour = 200;

		private int generatePerClientPerHour = 60;

		private int validatePerClientPerHour = 120;

		private Set<ChallengeType> challengeTypes = EnumSet.allOf(ChallengeType.class);

		private boolean bindIp;

		private int imageLength = 5;

		private int imageWidth = 160;

		private int imageHeight = 60;

		private boolean mathAsImage;

		private int powMaxNumber = 100_000;

		private String powAlgorithm = "SHA-256";

		private int powCost = 1;

		private List<PowComplexity> powComplexity = List.of();

		private byte @Nullable [] altchaHmacKey;

		private Builder(byte[] signingKey) {
			Objects.requireNonNull(signingKey, "signingKey");
			if (signingKey.length < MIN_SIGNING_KEY_BYTES) {
				throw new IllegalArgumentException("signingKey must be at least 256 bits");
			}
			this.signingKey = signingKey.clone();
		}

		/**
		 * Add accepted site keys: plain, or {@code sha256:<64 hex>}.
		 * @param siteKeys the keys
		 * @return this builder
		 * @throws IllegalArgumentException if a key is blank or a digest is not 64 hex
		 * characters
		 */
		public Builder siteKeys(Iterable<String> siteKeys) {
			for (String key : siteKeys) {
				SiteKeys.requireValid(key);
				this.siteKeys.add(key.trim());
			}
			return this;
		}

		/**
		 * Set how long a challenge may be answered. Default 5 minutes.
		 * @param challengeTtl the lifetime
		 * @return this builder
		 */
		public Builder challengeTtl(Duration challengeTtl) {
			this.challengeTtl = positive(challengeTtl, "challengeTtl");
			return this;
		}

		/**
		 * Set how long a pass token is valid. Default 5 minutes.
		 * @param tokenTtl the lifetime
		 * @return this builder
		 */
		public Builder tokenTtl(Duration tokenTtl) {
			this.tokenTtl = positive(tokenTtl, "tokenTtl");
			return this;
		}

		/**
		 * Set the generate and validate limits per site key and hour. Default 100 and
		 * 200.
		 * @param generatePerHour the generate limit, at least 1
		 * @param validatePerHour the validate limit, at least 1
		 * @return this builder
		 */
		public Builder limits(int generatePerHour, int validatePerHour) {
			if (generatePerHour < 1 || validatePerHour < 1) {
				throw new IllegalArgumentException("limits must be at least 1");
			}
			this.generatePerHour = generatePerHour;
			this.validatePerHour = validatePerHour;
			return this;
		}

		/**
		 * Set the generate and validate limits per client IP and hour, checked before
		 * (and so never using up) the site key's limits. Default 60 and 120.
		 * @param generatePerClientPerHour the generate limit, at least 1
		 * @param validatePerClientPerHour the validate limit, at least 1
		 * @return this builder
		 */
		public Builder clientLimits(int generatePerClientPerHour, int validatePerClientPerHour) {
			if (generatePerClientPerHour < 1 || validatePerClientPerHour < 1) {
				throw new IllegalArgumentException("client limits must be at least 1");
			}
			this.generatePerClientPerHour = generatePerClientPerHour;
			this.validatePerClientPerHour = validatePerClientPerHour;
			return this;
		}

		/**
		 * Set the challenge types the site keys allow. Default all of them; {@code math}
		 * and {@code pow} are weak (a script solves them), so allow only {@code image}
		 * and {@code grid} where bots matter.
		 * @param challengeTypes the types, at least one
		 * @return this builder
		 * @throws IllegalArgumentException if there is none
		 */
		public Builder challengeTypes(Collection<ChallengeType> challengeTypes) {
			Objects.requireNonNull(challengeTypes, "challengeTypes");
			if (challengeTypes.isEmpty()) {
				throw new IllegalArgumentException("challengeTypes needs at least one type");
			}
			this.challengeTypes = EnumSet.copyOf(challengeTypes);
			return this;
		}

		/**
		 * Set whether pass tokens are bound to the solving client's IP. Default false.
		 * @param bindIp whether to bind
		 * @return this builder
		 */
		public Builder bindIp(boolean bindIp) {
			this.bindIp = bindIp;
			return this;
		}

		/**
		 * Set the image challenge's text length and size. Default 5 characters, 160x60
		 * pixels.
		 * @param length characters, 3 to 10
		 * @param width pixels, 60 to 1000
		 * @param height pixels, 30 to 400
		 * @return this builder
		 */
		public Builder image(int length, int width, int height) {
			if (length < 3 || length > 10 || width < 60 || width > 1000 || height < 30 || height > 400) {
				throw new IllegalArgumentException("image length must be 3..10, width 60..1000, height 30..400");
			}
			this.imageLength = length;
			this.imageWidth = width;
			this.imageHeight = height;
			return this;
		}

		/**
		 * Set whether math questions are also rendered as an image. Default false.
		 * @param mathAsImage whether to render
		 * @return this builder
		 */
		public Builder mathAsImage(boolean mathAsImage) {
			this.mathAsImage = mathAsImage;
			return this;
		}

		/**
		 * Set the proof-of-work maximum number. Default 100,000.
		 * @param powMaxNumber the bound, 1,000 to 10,000,000
		 * @return this builder
		 */
		public Builder powMaxNumber(int powMaxNumber) {
			if (powMaxNumber < 1_000 || powMaxNumber > 10_000_000) {
				throw new IllegalArgumentException("powMaxNumber must be between 1000 and 10000000");
			}
			this.powMaxNumber = powMaxNumber;
			return this;
		}

		/**
		 * Set the key derivation and cost of ALTCHA v2 challenges. Default
		 * {@code SHA-256} with cost 1 (one hash per try, the work of a v1 challenge of
		 * the same maximum number).
		 * @param algorithm {@code SHA-256}, {@code SHA-384}, {@code SHA-512},
		 * {@code PBKDF2/SHA-256}, {@code PBKDF2/SHA-384} or {@code PBKDF2/SHA-512}
		 * @param cost rounds or iterations per try, 1 to 100,000
		 * @return this builder
		 */
		public Builder powV2(String algorithm, int cost) {
			Objects.requireNonNull(algorithm, "algorithm");
			if (!AltchaV2.supports(algorithm)) {
				throw new IllegalArgumentException("algorithm must be one of SHA-256, SHA-384, SHA-512, "
						+ "PBKDF2/SHA-256, PBKDF2/SHA-384, PBKDF2/SHA-512");
			}
			this.powAlgorithm = algorithm;
			this.powCost = PowComplexity.requireCost(cost);
			return this;
		}

		/**
		 * Set proof-of-work complexities per site key or action (first match wins; no
		 * match: {@link #powMaxNumber(int)} and the cost of {@link #powV2}).
		 * @param complexity the complexities
		 * @return this builder
		 */
		public Builder powComplexity(List<PowComplexity> complexity) {
			this.powComplexity = List.copyOf(complexity);
			return this;
		}

		/**
		 * Set the HMAC key shared with altcha-lib: its UTF-8 bytes sign proof-of-work
		 * challenges (v1 and v2), as altcha-lib's {@code hmacKey} and
		 * {@code hmacSignatureSecret} do. Default none: a key derived from the signing
		 * key.
		 * @param hmacKey the key, at least 32 characters
		 * @return this builder
		 * @throws IllegalArgumentException if the key is shorter
		 */
		public Builder altchaHmacKey(String hmacKey) {
			Objects.requireNonNull(hmacKey, "hmacKey");
			if (hmacKey.length() < 32) {
				throw new IllegalArgumentException("the ALTCHA HMAC key must be at least 32 characters");
			}
			this.altchaHmacKey = hmacKey.getBytes(StandardCharsets.UTF_8);
			return this;
		}

		/**
		 * Build the settings.
		 * @return the settings
		 */
		public BuiltinSettings build() {
			return new BuiltinSettings(this);
		}

		private static Duration positive(Duration duration, String name) {
			Objects.requireNonNull(duration, name);
			if (duration.isNegative() || duration.isZero()) {
				throw new IllegalArgumentException(name + " must be positive");
			}
			return duration;
		}

	}

}
