package io.github.captchasecurity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Digests of tokens, so that raw tokens never need to be stored or logged: the replay
 * cache keys on {@link #sha256Hex(String)} and logs show {@link #shortHash(String)}.
 *
 * @since 0.1.0
 */
public final class TokenDigest {

	private static final HexFormat HEX = HexFormat.of();

	// one digest per thread: MessageDigest.getInstance looks the provider up on every
	// call
	private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(TokenDigest::newSha256);

	private TokenDigest() {
	}

	/**
	 * Return the lowercase hex SHA-256 of the token's UTF-8 bytes.
	 * @param token the token
	 * @return 64 hex characters
	 */
	public static String sha256Hex(String token) {
		return HEX.formatHex(sha256(token));
	}

	/**
	 * Return a short, non-reversible label of a token for log lines: the first 12 hex
	 * characters of its SHA-256.
	 * @param token the token
	 * @return 12 hex characters
	 */
	public static String shortHash(String token) {
		return sha256Hex(token).substring(0, 12);
	}

	private static byte[] sha256(String value) {
		// digest() resets the instance for the next call on this thread
		return SHA256.get().digest(value.getBytes(StandardCharsets.UTF_8));
	}

	private static MessageDigest newSha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

}
