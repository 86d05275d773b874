package io.github.captchasecurity.provider.builtin.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import io.github.captchasecurity.clientip.ClientIpResolver;
import io.github.captchasecurity.message.CaptchaMessages;
import io.github.captchasecurity.provider.ProviderJson;
import io.github.captchasecurity.provider.builtin.BuiltinCaptchaException;
import io.github.captchasecurity.provider.builtin.BuiltinCaptchaService;
import io.github.captchasecurity.provider.builtin.ChallengeType;
import io.github.captchasecurity.provider.builtin.GeneratedChallenge;
import io.github.captchasecurity.servlet.CaptchaLocaleResolver;
import io.github.captchasecurity.servlet.JsonResponses;
import io.github.captchasecurity.servlet.RequestPaths;
import io.github.captchasecurity.store.CaptchaStoreException;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Serves the built-in provider's HTTP API under a base path (default {@code /captcha}):
 * <ul>
 * <li>{@code POST {base}/generate} with JSON {@code {"site_key", "type", "size"?,
 * "action"?, "version"?}}, or {@code GET
 * {base}/generate?site_key=&type=&action=&version=} (what the official ALTCHA widget's
 * challenge URL does): a new challenge. A proof-of-work challenge has the ALTCHA v1
 * members ({@code algorithm}, {@code challenge}, {@code maxnumber}, {@code salt},
 * {@code signature}) at the top level, or with version 2 the ALTCHA v2 {@code parameters}
 * and {@code signature};</li>
 * <li>{@code POST {base}/validate} with JSON {@code {"site_key", "captcha_id",
 * "user_input"}}: {@code {"valid": true, "token": "..."}} or {@code {"valid":
 * false}};</li>
 * <li>{@code GET {base}/audio?challenge=<captcha_id>}: the answer of an image challenge
 * spoken as {@code audio/wav}, the audio alternative (answered with validate like the
 * image; limited like generate, and to a few plays per challenge);</li>
 * <li>{@code GET {base}/widget.js}: the dependency-free JavaScript widget;</li>
 * <li>{@code GET {base}/widget.css}: its stylesheet, which the widget links itself.</li>
 * </ul>
 * Errors are {@code application/problem+json} with {@code detail} and a stable
 * {@code code}: 400 for a bad request or an invalid or expired challenge, 403 for an
 * unknown site key, 405 for a wrong method, 413 for a body over 16 KiB, 429 with
 * {@code Retry-After} when the client's (per client IP, as the client IP resolver finds
 * it) or the site key's hourly limit is reached, 503 {@code captcha_store_unavailable}
 * when the challenge store or rate limiter cannot be reached. Other paths pass through.
 * Error titles and details and the questions of math and grid challenges are in the
 * request's language ({@link CaptchaLocaleResolver}), told in {@code Content-Language};
 * codes never change with it.
 * <p>
 * CORS: by default none (same origin only). With {@link #setAllowedOrigins allowed
 * origins}, a request whose {@code Origin} is one of them gets
 * {@code Access-Control-Allow-Origin}, and a preflight ({@code OPTIONS} with
 * {@code Access-Control-Request-Method}) for GET or POST asking at most for
 * {@code Content-Type} is answered 204; any other preflight is 403
 * {@code captcha_cors_rejected}. Credentials are never allowed (the endpoints need no
 * cookies), so {@code *} is safe as the one origin.
 *
 * @since 0.1.0
 */
public final class BuiltinCaptchaEndpointFilter implements Filter {

	/** The largest request body read. */
	static final int MAX_BODY_BYTES = 16 * 1024;

	private static final byte[] WIDGET = load("widget.js");

	private static final byte[] STYLESHEET = load("widget.css");

	private static final Pattern ORIGIN = Pattern
		.compile("https?://(\\[[0-9a-f:.]+]|[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?)(:\\d{1,5})?");

	private final BuiltinCaptchaService service;

	private final String basePath;

	private ClientIpResolver clientIpResolver = HttpServletRequest::getRemoteAddr;

	private CaptchaMessages messages = CaptchaMessages.bundled();

	private CaptchaLocaleResolver localeResolver = CaptchaLocaleResolver.acceptLanguage();

	private Set<String> allowedOrigins = Set.of();

	/**
	 * Create the endpoint filter.
	 * @param service the built-in service
	 * @param basePath the base path, such as {@code /captcha}
	 */
	public BuiltinCaptchaEndpointFilter(BuiltinCaptchaService service, String basePath) {
		this.service = Objects.requireNonNull(service, "service");
		Objects.requireNonNull(basePath, "basePath");
		String normalized = RequestPaths.normalize(basePath);
		if (normalized.equals("/")) {
			throw new IllegalArgumentException("basePath cannot be the root");
		}
		this.basePath = normalized;
	}

	/**
	 * Set how the client IP is found. Defaults to the socket peer.
	 * @param clientIpResolver the resolver
	 */
	public void setClientIpResolver(ClientIpResolver clientIpResolver) {
		this.clientIpResolver = Objects.requireNonNull(clientIpResolver, "clientIpResolver");
	}

	/**
	 * Set the texts of errors and questions. Defaults to the bundled messages.
	 * @param messages the texts
	 * @since 0.1.0
	 */
	public void setMessages(CaptchaMessages messages) {
		this.messages = Objects.requireNonNull(messages, "messages");
	}

	/**
	 * Set how the language of an answer is chosen. Defaults to the
	 * {@code Accept-Language} header.
	 * @param localeResolver the resolver
	 * @since 0.1.0
	 */
	public void setLocaleResolver(CaptchaLocaleResolver localeResolver) {
		this.localeResolver = Objects.requireNonNull(localeResolver, "localeResolver");
	}

	/**
	 * Set the origins (such as {@code https://shop.example}) whose pages may call these
	 * endpoints, or {@code *} alone for any. Default none: same origin only.
	 * @param allowedOrigins the origins: scheme, host and optional port, no path
	 * @throws IllegalArgumentException if an origin is not of that form, or {@code *} is
	 * not alone
	 * @since 0.1.0
	 */
	public void setAllowedOrigins(Collection<String> allowedOrigins) {
		Objects.requireNonNull(allowedOrigins, "allowedOrigins");
		Set<String> origins = new LinkedHashSet<>();
		for (String origin : allowedOrigins) {
			origins.add(requireOrigin(origin));
		}
		if (origins.contains("*") && origins.size() > 1) {
			throw new IllegalArgumentException("'*' must be the only allowed origin");
		}
		this.allowedOrigins = Set.copyOf(origins);
	}

	/**
	 * Check and normalize an allowed origin: {@code *}, or {@code http(s)://host[:port]}
	 * in lower case without a path.
	 * @param origin the origin
	 * @return the normalized origin
	 * @throws IllegalArgumentException if it is not of that form
	 * @since 0.1.0
	 */
	public static String requireOrigin(@Nullable String origin) {
		String trimmed = (origin != null) ? origin.trim() : "";
		if (trimmed.equals("*")) {
			return trimmed;
		}
		String lower = trimmed.toLowerCase(Locale.ROOT);
		if (!ORIGIN.matcher(lower).matches()) {
			throw new IllegalArgumentException(
					"an allowed origin must be '*' or scheme://host[:port] (http or https, no path, no trailing slash)");
		}
		return lower;
	}

	/**
	 * Return the normalized base path.
	 * @return the base path
	 */
	public String getBasePath() {
		return this.basePath;
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
		if (!path.startsWith(this.basePath + "/")) {
			chain.doFilter(request, response);
			return;
		}
		String endpoint = path.substring(this.basePath.length());
		boolean known = endpoint.equals("/generate") || endpoint.equals("/validate") || endpoint.equals("/widget.js");
		if (known && !cors(request, response)) {
			return;
		}
		try {
			switch (endpoint) {
				case "/generate" -> generate(request, response);
				case "/validate" -> validate(request, response);
				case "/audio" -> audio(request, response);
				case "/widget.js" -> resource(request, response, "text/javascript;charset=UTF-8", WIDGET);
				case "/widget.css" -> resource(request, response, "text/css;charset=UTF-8", STYLESHEET);
				default -> chain.doFilter(request, response);
			}
		}
		catch (BuiltinCaptchaException ex) {
			Locale locale = this.localeResolver.resolveLocale(request);
			problem(response, locale, ex.getStatus(), ex.getCode(), ex.getDetail(this.messages, locale),
					(ex.getRetryAfter() != null) ? ex.getRetryAfter().toSeconds() : null);
		}
		catch (CaptchaStoreException ex) {
			problem(request, response, 503, "captcha_store_unavailable", "store-unavailable", 5L);
		}
	}

	// Answer a problem whose detail is the text captcha.api.<name>.
	private void problem(HttpServletRequest request, HttpServletResponse response, int status, String code, String name,
			@Nullable Long retryAfterSeconds) throws IOException {
		Locale locale = this.localeResolver.resolveLocale(request);
		problem(response, locale, status, code, this.messages.message("captcha.api." + name, locale),
				retryAfterSeconds);
	}

	private void problem(HttpServletResponse response, Locale locale, int status, String code, String detail,
			@Nullable Long retryAfterSeconds) throws IOException {
		JsonResponses.problem(response, status, code, this.messages.message(CaptchaMessages.statusKey(status), locale),
				detail, Map.of(), retryAfterSeconds, locale);
	}

	// Add the CORS headers an allowed origin gets, answer a preflight. @return whether
	// the request goes on
	// (false: answered)
	private boolean cors(HttpServletRequest request, HttpServletResponse response) throws IOException {
		String origin = request.getHeader("Origin");
		boolean preflight = "OPTIONS".equals(request.getMethod()) && origin != null
				&& request.getHeader("Access-Control-Request-Method") != null;
		if (!this.allowedOrigins.isEmpty()) {
			response.addHeader("Vary", "Origin");
		}
		boolean allowed = origin != null && (this.allowedOrigins.contains("*")
				|| this.allowedOrigins.contains(origin.trim().toLowerCase(Locale.ROOT)));
		if (!preflight) {
			if (allowed) {
				response.setHeader("Access-Control-Allow-Origin", this.allowedOrigins.contains("*") ? "*" : origin);
				response.setHeader("Access-Control-Expose-Headers", "Retry-After");
			}
			return true;
		}
		String method = request.getHeader("Access-Control-Request-Method");
		String headers = request.getHeader("Access-Control-Request-Headers");
		boolean simpleHeaders = headers == null || headers.isBlank()
				|| headers.trim().toLowerCase(Locale.ROOT).equals("content-type");
		if (!allowed || !("GET".equals(method) || "POST".equals(method)) || !simpleHeaders) {
			problem(request, response, 403, "captcha_cors_rejected", "cors-rejected", null);
			return false;
		}
		response.setStatus(204);
		response.setHeader("Access-Control-Allow-Origin", this.allowedOrigins.contains("*") ? "*" : origin);
		response.setHeader("Access-Control-Allow-Methods", "GET, POST");
		response.setHeader("Access-Control-Allow-Headers", "Content-Type");
		response.setHeader("Access-Control-Max-Age", "600");
		return false;
	}

	private void generate(HttpServletRequest request, HttpServletResponse response) throws IOException {
		if ("GET".equals(request.getMethod())) {
			generateFromQuery(request, response);
			return;
		}
		JsonNode body = readPost(request, response);
		if (body == null) {
			return;
		}
		Integer size = null;
		JsonNode sizeNode = body.get("size");
		if (sizeNode != null && !sizeNode.isNull()) {
			if (!sizeNode.isIntegralNumber() || !sizeNode.canConvertToInt()) {
				throw BuiltinCaptchaException.badRequest("size-not-number");
			}
			size = sizeNode.intValue();
		}
		int version = 1;
		JsonNode versionNode = body.get("version");
		if (versionNode != null && !versionNode.isNull()) {
			version = version(versionNode.isIntegralNumber() ? versionNode.asString()
					: versionNode.isString() ? versionNode.stringValue() : "");
		}
		Locale locale = this.localeResolver.resolveLocale(request);
		GeneratedChallenge challenge = this.service.generate(string(body, "site_key"), string(body, "type"), size,
				string(body, "action"), this.clientIpResolver.apply(request), version, this.messages, locale);
		answer(response, challenge, locale);
	}

	// GET generate: the same parameters in the query string, as the official ALTCHA
	// widget fetches its
	// challenge URL. Never cached.
	private void generateFromQuery(HttpServletRequest request, HttpServletResponse response) throws IOException {
		String size = query(request, "size");
		Integer gridSize = null;
		if (size != null) {
			if (!size.matches("\\d{1,4}")) {
				throw BuiltinCaptchaException.badRequest("size-not-number");
			}
			gridSize = Integer.valueOf(size);
		}
		String version = query(request, "version");
		Locale locale = this.localeResolver.resolveLocale(request);
		GeneratedChallenge challenge = this.service.generate(query(request, "site_key"), query(request, "type"),
				gridSize, query(request, "action"), this.clientIpResolver.apply(request),
				(version != null) ? version(version) : 1, this.messages, locale);
		response.setHeader("Cache-Control", "no-store");
		answer(response, challenge, locale);
	}

	private void answer(HttpServletResponse response, GeneratedChallenge challenge, Locale locale) throws IOException {
		Map<String, Object> json = challenge.toJson();
		if (challenge.type() != ChallengeType.POW) {
			// what the widget's "switch challenge" control may offer (pow keeps ALTCHA's
			// shape)
			json.put("types", this.service.allowedChallengeTypes().stream().map(ChallengeType::wireName).toList());
		}
		if (challenge.type() != ChallengeType.POW && this.service.audioAvailable()) {
			// image challenges have an audio form: the widget may offer it (from any
			// type)
			json.put("audio", true);
		}
		response.setHeader("Content-Language", locale.toLanguageTag());
		JsonResponses.json(response, 200, json);
	}

	private static @Nullable String query(HttpServletRequest request, String name) {
		String[] values = request.getParameterValues(name);
		if (values == null || values.length == 0) {
			return null;
		}
		if (values.length > 1) {
			throw BuiltinCaptchaException.badRequest("parameter-once", name);
		}
		return values[0];
	}

	private static int version(String version) {
		return switch (version.trim()) {
			case "1" -> 1;
			case "2" -> 2;
			default -> throw BuiltinCaptchaException.badRequest("version-invalid");
		};
	}

	private void validate(HttpServletRequest request, HttpServletResponse response) throws IOException {
		JsonNode body = readPost(request, response);
		if (body == null) {
			return;
		}
		JsonNode input = body.get("user_input");
		String userInput;
		if (input == null || input.isNull()) {
			userInput = null;
		}
		else if (input.isArray()) {
			StringBuilder tiles = new StringBuilder();
			for (JsonNode element : input) {
				if (!element.isIntegralNumber() || !element.canConvertToLong()) {
					throw BuiltinCaptchaException.badRequest("user-input-invalid");
				}
				tiles.append((tiles.length() > 0) ? "," : "").append(element.longValue());
			}
			userInput = tiles.toString();
		}
		else if (input.isString() || input.isNumber()) {
			userInput = input.isString() ? input.stringValue() : input.asString();
		}
		else {
			throw BuiltinCaptchaException.badRequest("user-input-invalid");
		}
		String token = this.service.validate(string(body, "site_key"), string(body, "captcha_id"), userInput,
				this.clientIpResolver.apply(request));
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("valid", token != null);
		if (token != null) {
			answer.put("token", token);
		}
		JsonResponses.json(response, 200, answer);
	}

	private void audio(HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (!"GET".equals(request.getMethod())) {
			response.setHeader("Allow", "GET");
			problem(request, response, 405, "captcha_method_not_allowed", "method-get", null);
			return;
		}
		String[] ids = request.getParameterValues("challenge");
		if (ids != null && ids.length > 1) {
			throw BuiltinCaptchaException.badRequest("challenge-once");
		}
		byte[] wav = this.service.audio((ids != null) ? ids[0] : null, this.clientIpResolver.apply(request));
		response.setStatus(200);
		response.setContentType("audio/wav");
		response.setHeader("Cache-Control", "no-store");
		response.setHeader("X-Content-Type-Options", "nosniff");
		response.setContentLength(wav.length);
		response.getOutputStream().write(wav);
	}

	private void resource(HttpServletRequest request, HttpServletResponse response, String contentType, byte[] content)
			throws IOException {
		if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
			response.setHeader("Allow", "GET, HEAD");
			problem(request, response, 405, "captcha_method_not_allowed", "method-get", null);
			return;
		}
		response.setStatus(200);
		response.setContentType(contentType);
		response.setHeader("Cache-Control", "public, max-age=3600");
		response.setHeader("X-Content-Type-Options", "nosniff");
		response.setContentLength(content.length);
		if ("GET".equals(request.getMethod())) {
			response.getOutputStream().write(content);
		}
	}

	private @Nullable JsonNode readPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (!"POST".equals(request.getMethod())) {
			response.setHeader("Allow", "POST");
			problem(request, response, 405, "captcha_method_not_allowed", "method-post", null);
			boolean generate = request.getRequestURI().endsWith("/generate");
			response.setHeader("Allow", generate ? "GET, POST" : "POST");
			JsonResponses.problem(response, 405, "captcha_method_not_allowed",
					generate ? "Use GET with query parameters or POST with a JSON body" : "Use POST with a JSON body",
					null);
			return null;
		}
		if (request.getContentLengthLong() > MAX_BODY_BYTES) {
			problem(request, response, 413, "captcha_body_too_large", "body-too-large", null);
			return null;
		}
		byte[] body;
		try (InputStream in = request.getInputStream()) {
			body = in.readNBytes(MAX_BODY_BYTES + 1);
		}
		if (body.length > MAX_BODY_BYTES) {
			problem(request, response, 413, "captcha_body_too_large", "body-too-large", null);
			return null;
		}
		JsonNode json = ProviderJson.parseObject(body);
		if (json == null) {
			throw BuiltinCaptchaException.badRequest("body-not-object");
		}
		return json;
	}

	private static @Nullable String string(JsonNode body, String field) {
		JsonNode value = body.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isString()) {
			throw BuiltinCaptchaException.badRequest("field-not-string", field);
		}
		return value.stringValue();
	}

	private static byte[] load(String name) {
		try (InputStream in = BuiltinCaptchaEndpointFilter.class.getResourceAsStream(name)) {
			if (in == null) {
				throw new IllegalStateException("Missing resource " + name);
			}
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
