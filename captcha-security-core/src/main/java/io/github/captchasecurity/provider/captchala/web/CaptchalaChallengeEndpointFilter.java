package io.github.captchasecurity.provider.captchala.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.github.captchasecurity.clientip.ClientIpResolver;
import io.github.captchasecurity.provider.ProviderJson;
import io.github.captchasecurity.provider.captchala.CaptchalaChallengeClient;
import io.github.captchasecurity.provider.captchala.CaptchalaChallengeClient.ServerChallenge;
import io.github.captchasecurity.servlet.JsonResponses;
import io.github.captchasecurity.servlet.RequestPaths;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Issues CaptchaLa server challenges for the page's client: {@code POST
 * {base}/captchala/{provider}/challenge} with JSON {@code {"action": "transfer"}} answers
 * {@code {"server_token": "sct_...", "expires_in": 300}}, bound to the client IP and
 * action, for routes with {@code server-challenge}. Errors are problem+json: 400 for a
 * bad body, 404 for an unknown provider, 405 for a method other than POST, 503 when
 * CaptchaLa cannot be asked.
 *
 * @since 0.1.0
 */
public final class CaptchalaChallengeEndpointFilter implements Filter {

	private static final Logger logger = LoggerFactory.getLogger(CaptchalaChallengeEndpointFilter.class);

	private final Map<String, CaptchalaChallengeClient> clients;

	private final String prefix;

	private ClientIpResolver clientIpResolver = HttpServletRequest::getRemoteAddr;

	/**
	 * Create the filter.
	 * @param clients the challenge clients by provider name
	 * @param basePath the base path, such as {@code /captcha}
	 */
	public CaptchalaChallengeEndpointFilter(Map<String, CaptchalaChallengeClient> clients, String basePath) {
		this.clients = Map.copyOf(clients);
		this.prefix = RequestPaths.normalize(Objects.requireNonNull(basePath, "basePath")) + "/captchala/";
	}

	/**
	 * Set how the client IP is found. Defaults to the socket peer.
	 * @param clientIpResolver the resolver
	 */
	public void setClientIpResolver(ClientIpResolver clientIpResolver) {
		this.clientIpResolver = Objects.requireNonNull(clientIpResolver, "clientIpResolver");
	}

	@Override
	public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
			throws IOException, ServletException {
		if (!(servletRequest instanceof HttpServletRequest request)
				|| !(servletResponse instanceof HttpServletResponse response)) {
			chain.doFilter(servletRequest, servletResponse);
			return;
		}
		String path = RequestPaths.pathWithinApplication(request);
		if (!path.startsWith(this.prefix) || !path.endsWith("/challenge")) {
			chain.doFilter(request, response);
			return;
		}
		String provider = path.substring(this.prefix.length(), path.length() - "/challenge".length());
		CaptchalaChallengeClient client = this.clients.get(provider);
		if (client == null) {
			JsonResponses.problem(response, 404, "captcha_provider_unknown", "No CaptchaLa provider '" + provider + "'",
					null);
			return;
		}
		if (!"POST".equals(request.getMethod())) {
			response.setHeader("Allow", "POST");
			JsonResponses.problem(response, 405, "captcha_method_not_allowed", "Use POST with a JSON body", null);
			return;
		}
		byte[] body;
		try (InputStream in = request.getInputStream()) {
			body = in.readNBytes(4097);
		}
		JsonNode json = (body.length <= 4096) ? ProviderJson.parseObject(body) : null;
		String action = (json != null) ? ProviderJson.string(json, "action") : null;
		String clientIp = this.clientIpResolver.apply(request);
		if (action == null || !action.matches("[A-Za-z0-9/_-]{1,64}") || clientIp == null) {
			JsonResponses.problem(response, 400, "captcha_bad_request",
					"Send {\"action\": \"...\"} with the route's action", null);
			return;
		}
		ServerChallenge challenge;
		try {
			challenge = client.issueFor(clientIp, action, null);
		}
		catch (IOException ex) {
			logger.warn("CaptchaLa provider '{}' did not issue a server challenge: {}", provider, ex.getMessage());
			JsonResponses.problem(response, 503, "captcha_provider_unavailable",
					"The CAPTCHA provider could not be reached", 5L);
			return;
		}
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("server_token", challenge.serverToken());
		answer.put("expires_in", challenge.expiresIn());
		JsonResponses.json(response, 200, answer);
	}

}
