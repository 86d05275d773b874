package io.github.captchasecurity.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.github.captchasecurity.provider.ProviderJson;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

/**
 * Writes the JSON and RFC 9457 problem answers of the servlet filters and endpoints, so
 * that every answer has the same shape ({@code type}, {@code title}, {@code status},
 * {@code detail}, {@code code}) and is never cached.
 *
 * @since 0.1.0
 */
public final class JsonResponses {

	private JsonResponses() {
	}

	/**
	 * Write a JSON answer.
	 * @param response the response
	 * @param status the HTTP status
	 * @param body the members of the JSON object
	 * @throws IOException if the response cannot be written
	 */
	public static void json(HttpServletResponse response, int status, Map<String, Object> body) throws IOException {
		write(response, status, "application/json", body);
	}

	/**
	 * Write a problem answer: {@code type} (the code under
	 * {@link ProblemDetailCaptchaFailureHandler#TYPE_PREFIX}), {@code title},
	 * {@code status}, {@code detail}, {@code code} and any extra members.
	 * @param response the response
	 * @param status the HTTP status
	 * @param code the stable error code
	 * @param title the title
	 * @param detail the detail
	 * @param extra extra members
	 * @param retryAfterSeconds the {@code Retry-After} header value, or null for none
	 * @throws IOException if the response cannot be written
	 */
	public static void problem(HttpServletResponse response, int status, String code, String title, String detail,
			Map<String, Object> extra, @Nullable Long retryAfterSeconds) throws IOException {
		problem(response, status, code, title, detail, extra, retryAfterSeconds, null);
	}

	/**
	 * Write a problem answer whose {@code title} and {@code detail} are in a language,
	 * told in the {@code Content-Language} header.
	 * @param response the response
	 * @param status the HTTP status
	 * @param code the stable error code
	 * @param title the title
	 * @param detail the detail
	 * @param extra extra members
	 * @param retryAfterSeconds the {@code Retry-After} header value, or null for none
	 * @param language the language of the texts, or null to send no
	 * {@code Content-Language}
	 * @throws IOException if the response cannot be written
	 * @since 0.1.0
	 */
	public static void problem(HttpServletResponse response, int status, String code, String title, String detail,
			Map<String, Object> extra, @Nullable Long retryAfterSeconds, @Nullable Locale language) throws IOException {
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("type", ProblemDetailCaptchaFailureHandler.TYPE_PREFIX + code);
		problem.put("title", title);
		problem.put("status", status);
		problem.put("detail", detail);
		problem.putAll(extra);
		problem.put("code", code);
		response.resetBuffer();
		if (retryAfterSeconds != null) {
			response.setHeader("Retry-After", Long.toString(retryAfterSeconds));
		}
		if (language != null) {
			response.setHeader("Content-Language", language.toLanguageTag());
		}
		write(response, status, "application/problem+json", problem);
	}

	/**
	 * Write a problem answer titled with the status's reason phrase.
	 * @param response the response
	 * @param status the HTTP status
	 * @param code the stable error code
	 * @param detail the detail
	 * @param retryAfterSeconds the {@code Retry-After} header value, or null for none
	 * @throws IOException if the response cannot be written
	 */
	public static void problem(HttpServletResponse response, int status, String code, String detail,
			@Nullable Long retryAfterSeconds) throws IOException {
		problem(response, status, code, reasonPhrase(status), detail, Map.of(), retryAfterSeconds);
	}

	private static void write(HttpServletResponse response, int status, String contentType, Map<String, Object> body)
			throws IOException {
		byte[] bytes = ProviderJson.write(body);
		response.setStatus(status);
		response.setContentType(contentType);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.setHeader("Cache-Control", "no-store");
		response.setContentLength(bytes.length);
		response.getOutputStream().write(bytes);
	}

	static String reasonPhrase(int status) {
		return switch (status) {
			case 400 -> "Bad Request";
			case 403 -> "Forbidden";
			case 404 -> "Not Found";
			case 405 -> "Method Not Allowed";
			case 413 -> "Content Too Large";
			case 429 -> "Too Many Requests";
			case 503 -> "Service Unavailable";
			default -> "Error";
		};
	}

}
