package io.github.captchasecurity.provider.builtin;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.jspecify.annotations.Nullable;

/** Signed single-use pass tokens: HS256 JWTs issued after a solved challenge. */
final class PassTokens {

	static final String ISSUER = "captcha-security";

	private final JWSSigner signer;

	private final JWSVerifier verifier;

	PassTokens(byte[] key) {
		try {
			this.signer = new MACSigner(key);
			this.verifier = new MACVerifier(key);
		}
		catch (JOSEException ex) {
			throw new IllegalArgumentException("Signing key rejected: " + ex.getMessage(), ex);
		}
	}

	String issue(Challenge challenge, Instant now, Duration ttl, @Nullable String clientIp) {
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(ISSUER)
			.jwtID(challenge.id())
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(ttl)))
			.claim("sk", challenge.siteKey())
			.claim("ctype", challenge.type().wireName());
		if (clientIp != null) {
			claims.claim("ip", clientIp);
		}
		if (challenge.action() != null) {
			claims.claim("act", challenge.action());
		}
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
		try {
			jwt.sign(this.signer);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Could not sign a pass token", ex);
		}
		return jwt.serialize();
	}

	/**
	 * Return the claims of a genuine token, or null if it is not one of ours (expiry is
	 * not checked here).
	 * @param token the token to verify
	 * @return the claims, or null
	 */
	@Nullable Claims verify(String token) {
		try {
			SignedJWT jwt = SignedJWT.parse(token);
			if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(this.verifier)) {
				return null;
			}
			JWTClaimsSet claims = jwt.getJWTClaimsSet();
			String siteKey = claims.getStringClaim("sk");
			String type = claims.getStringClaim("ctype");
			if (!ISSUER.equals(claims.getIssuer()) || claims.getJWTID() == null || siteKey == null || type == null
					|| claims.getIssueTime() == null || claims.getExpirationTime() == null) {
				return null;
			}
			return new Claims(claims.getJWTID(), siteKey, type, claims.getIssueTime().toInstant(),
					claims.getExpirationTime().toInstant(), claims.getStringClaim("ip"), claims.getStringClaim("act"));
		}
		catch (ParseException | JOSEException | RuntimeException ex) {
			return null;
		}
	}

	/**
	 * The claims of a pass token whose signature checks out.
	 *
	 * @param challengeId the id of the solved challenge
	 * @param siteKey the site key the challenge was generated for
	 * @param type the wire name of the challenge type
	 * @param issuedAt when the token was issued
	 * @param expiresAt when the token expires
	 * @param clientIp the IP of the client that solved the challenge, or null if unknown
	 * @param action the action the challenge was generated for, or null
	 */
	record Claims(String challengeId, String siteKey, String type, Instant issuedAt, Instant expiresAt,
			@Nullable String clientIp, @Nullable String action) {
	}

}
