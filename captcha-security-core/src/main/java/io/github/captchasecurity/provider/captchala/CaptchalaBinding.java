package io.github.captchasecurity.provider.captchala;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

/**
 * The user id ({@code bind_uid}) a server-issued CaptchaLa challenge is bound to: an HMAC
 * of the client IP and the action under a key derived from the app secret. CaptchaLa
 * echoes it as {@code data.uid} when the pass token is validated, so a route can check
 * that the token comes from a challenge issued for this client and action.
 */
final class CaptchalaBinding {

	private CaptchalaBinding() {
	}

	static String uid(String appSecret, @Nullable String clientIp, @Nullable String action) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(
					("captcha-security captchala bind_uid v1|" + appSecret).getBytes(StandardCharsets.UTF_8),
					"HmacSHA256"));
			byte[] digest = mac
				.doFinal((String.valueOf(clientIp) + "|" + String.valueOf(action)).getBytes(StandardCharsets.UTF_8));
			return "cs_" + HexFormat.of().formatHex(digest, 0, 16);
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
