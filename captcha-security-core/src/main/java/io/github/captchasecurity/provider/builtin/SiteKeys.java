package io.github.captchasecurity.provider.builtin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

import io.github.captchasecurity.TokenDigest;
import org.jspecify.annotations.Nullable;

/**
 * Matches presented site keys against configured plain keys and {@code sha256:} digests
 * in constant time.
 */
final class SiteKeys {

	static final String DIGEST_PREFIX = "sha256:";

	private final byte[][] digests;

	// the first 16 hex characters of each digest, as ASCII (what proof-of-work salts
	// carry)
	private final byte[][] shortDigests;

	SiteKeys(Set<String> configured) {
		this.digests = configured.stream().map(SiteKeys::digestOf).toArray(byte[][]::new);
		this.shortDigests = new byte[this.digests.length][];
		for (int i = 0; i < this.digests.length; i++) {
			this.shortDigests[i] = HexFormat.of()
				.formatHex(this.digests[i])
				.substring(0, 16)
				.getBytes(StandardCharsets.US_ASCII);
		}
	}

	static void requireValid(@Nullable String key) {
		if (key == null || key.isBlank()) {
			throw new IllegalArgumentException("site key cannot be blank");
		}
		String trimmed = key.trim();
		if (trimmed.regionMatches(true, 0, DIGEST_PREFIX, 0, DIGEST_PREFIX.length())
				&& !trimmed.substring(DIGEST_PREFIX.length()).matches("[0-9a-fA-F]{64}")) {
			throw new IllegalArgumentException("a sha256: site key must be followed by 64 hex characters");
		}
	}

	private static byte[] digestOf(String configured) {
		String trimmed = configured.trim();
		if (trimmed.regionMatches(true, 0, DIGEST_PREFIX, 0, DIGEST_PREFIX.length())) {
			return HexFormat.of().parseHex(trimmed.substring(DIGEST_PREFIX.length()).toLowerCase(Locale.ROOT));
		}
		return HexFormat.of().parseHex(TokenDigest.sha256Hex(trimmed));
	}

	boolean matchesShortDigest(String shortDigest) {
		boolean found = false;
		byte[] presented = shortDigest.getBytes(StandardCharsets.US_ASCII);
		for (byte[] prefix : this.shortDigests) {
			found |= MessageDigest.isEqual(prefix, presented);
		}
		return found;
	}

	boolean isEmpty() {
		return this.digests.length == 0;
	}

	boolean matches(@Nullable String presented) {
		if (presented == null || presented.isEmpty() || presented.length() > 256) {
			return false;
		}
		byte[] digest = HexFormat.of().parseHex(TokenDigest.sha256Hex(presented));
		boolean found = false;
		for (byte[] candidate : this.digests) {
			found |= MessageDigest.isEqual(candidate, digest);
		}
		return found;
	}

}
