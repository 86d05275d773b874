package io.github.captchasecurity.provider.captchala;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.github.captchasecurity.http.CaptchaHttpClient;
import io.github.captchasecurity.http.HttpResult;
import io.github.captchasecurity.provider.ProviderJson;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Asks CaptchaLa for a server-issued challenge ({@code POST /v1/server/challenge/issue})
 * bound to an action and optionally to the client IP ({@code binding_ip}) and a user
 * ({@code bind_uid}): a token solved elsewhere then does not validate. The server token
 * ({@code sct_...}) is handed to the browser SDK.
 *
 * @since 0.1.0
 */
public final class CaptchalaChallengeClient {

	/** CaptchaLa's server challenge endpoint. */
	public static final URI DEFAULT_ISSUE_URL = URI.create("https://apiv1.captcha.la/v1/server/challenge/issue");

	private final URI issueUrl;

	private final Map<String, String> headers;

	private final String appSecret;

	private final CaptchaHttpClient http;

	/**
	 * Create a client.
	 * @param issueUrl the issue URL, usually {@link #DEFAULT_ISSUE_URL}
	 * @param appKey the app key
	 * @param appSecret the app secret
	 * @param http the HTTP client
	 */
	public CaptchalaChallengeClient(URI issueUrl, String appKey, String appSecret, CaptchaHttpClient http) {
		this.issueUrl = Objects.requireNonNull(issueUrl, "issueUrl");
		this.headers = CaptchalaVerifier.appHeaders(appKey, appSecret);
		this.appSecret = appSecret;
		this.http = Objects.requireNonNull(http, "http");
	}

	/**
	 * Issue a challenge for a client of a route that requires server-issued challenges:
	 * bound to the client IP ({@code binding_ip}) and to a {@code bind_uid} derived from
	 * the client IP and action, which {@link CaptchalaVerifier} checks when the pass
	 * token is validated.
	 * @param clientIp the client IP
	 * @param action the route's action
	 * @param ttl the lifetime, or null for the service default
	 * @return the challenge
	 * @throws IOException if the service cannot be reached or refuses the call
	 */
	public ServerChallenge issueFor(String clientIp, String action, @Nullable Duration ttl) throws IOException {
		Objects.requireNonNull(clientIp, "clientIp");
		return issue(action, clientIp, CaptchalaBinding.uid(this.appSecret, clientIp, action), ttl);
	}

	/**
	 * Issue a challenge.
	 * @param action the action, required
	 * @param bindingIp the client IP the solution must come from, or null
	 * @param bindUid the user id to bind, or null
	 * @param ttl the lifetime (capped by the service), or null for the service default
	 * @return the challenge
	 * @throws IOException if the service cannot be reached or refuses the call
	 */
	public ServerChallenge issue(String action, @Nullable String bindingIp, @Nullable String bindUid,
			@Nullable Duration ttl) throws IOException {
		Objects.requireNonNull(action, "action");
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("action", action);
		if (bindingIp != null) {
			body.put("binding_ip", bindingIp);
		}
		if (bindUid != null) {
			body.put("bind_uid", bindUid);
		}
		if (ttl != null) {
			body.put("ttl", ttl.toSeconds());
		}
		HttpResult result = this.http.postJson(this.issueUrl, ProviderJson.write(body), this.headers);
		JsonNode data = CaptchalaVerifier.envelopeData(result, "challenge-issue");
		String token = (data != null) ? ProviderJson.string(data, "server_token") : null;
		if (data == null || token == null || token.isBlank()) {
			throw new IOException("CaptchaLa did not issue a server challenge");
		}
		Double expiresIn = ProviderJson.number(data, "expires_in");
		return new ServerChallenge(token, (expiresIn != null) ? expiresIn.longValue() : 0);
	}

	/**
	 * An issued server challenge.
	 *
	 * @param serverToken the server token for the browser SDK
	 * @param expiresIn seconds until it expires, or 0 if not reported
	 */
	public record ServerChallenge(String serverToken, long expiresIn) {
	}

}
