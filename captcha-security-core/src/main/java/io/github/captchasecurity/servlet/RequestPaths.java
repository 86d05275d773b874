package io.github.captchasecurity.servlet;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Normalizes request paths before route matching, so that a path the application would
 * dispatch to a protected handler cannot slip past the match in another spelling. From
 * the raw request URI it removes the context path, drops {@code ;matrix} parameters from
 * every segment, percent-decodes each segment, folds {@code //}, resolves {@code .} and
 * {@code ..}, and removes a trailing slash. Erring towards matching is safe: a path
 * matched too often only asks for a CAPTCHA where none was needed.
 *
 * @since 0.1.0
 */
public final class RequestPaths {

	private RequestPaths() {
	}

	/**
	 * Return the normalized path of a request within its application.
	 * @param request the request
	 * @return the path, starting with {@code /}; {@code /} for the root
	 */
	public static String pathWithinApplication(HttpServletRequest request) {
		String uri = request.getRequestURI();
		if (uri == null) {
			uri = "/";
		}
		String normalized = normalize(uri);
		String contextPath = request.getContextPath();
		if (contextPath != null && !contextPath.isEmpty()) {
			String context = normalize(contextPath);
			if (!context.equals("/") && (normalized.equals(context) || normalized.startsWith(context + "/"))) {
				normalized = normalized.substring(context.length());
			}
		}
		return normalized.isEmpty() ? "/" : normalized;
	}

	/**
	 * Normalize a raw (still percent-encoded) path.
	 * @param rawPath the path
	 * @return the normalized path, starting with {@code /}
	 */
	public static String normalize(String rawPath) {
		int query = rawPath.indexOf('?');
		String path = (query >= 0) ? rawPath.substring(0, query) : rawPath;
		Deque<String> segments = new ArrayDeque<>();
		for (String rawSegment : path.split("/", -1)) {
			int semicolon = rawSegment.indexOf(';');
			String segment = decode((semicolon >= 0) ? rawSegment.substring(0, semicolon) : rawSegment);
			// a decoded segment may hold '/' or '\' (from %2F or %5C): treat them as
			// separators too
			for (String part : segment.replace('\\', '/').split("/", -1)) {
				if (part.isEmpty() || part.equals(".")) {
					continue;
				}
				if (part.equals("..")) {
					segments.pollLast();
					continue;
				}
				segments.addLast(part);
			}
		}
		if (segments.isEmpty()) {
			return "/";
		}
		StringBuilder result = new StringBuilder(path.length());
		for (String segment : segments) {
			result.append('/').append(segment);
		}
		return result.toString();
	}

	private static String decode(String segment) {
		if (segment.indexOf('%') < 0) {
			return segment;
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
		for (int i = 0; i < segment.length(); i++) {
			char c = segment.charAt(i);
			if (c == '%' && i + 2 < segment.length() && hex(segment.charAt(i + 1)) >= 0
					&& hex(segment.charAt(i + 2)) >= 0) {
				bytes.write(hex(segment.charAt(i + 1)) * 16 + hex(segment.charAt(i + 2)));
				i += 2;
			}
			else {
				byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
				bytes.write(encoded, 0, encoded.length);
			}
		}
		String decoded = bytes.toString(StandardCharsets.UTF_8);
		// decode repeatedly: a double-encoded path must not hide a separator or a dot
		// segment
		return decoded.equals(segment) ? decoded : decode(decoded);
	}

	private static int hex(char c) {
		return Character.digit(c, 16);
	}

}
