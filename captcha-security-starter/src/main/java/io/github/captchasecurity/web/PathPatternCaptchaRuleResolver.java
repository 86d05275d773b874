package io.github.captchasecurity.web;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.servlet.CaptchaRuleResolver;
import io.github.captchasecurity.servlet.RequestPaths;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.server.PathContainer;
import org.springframework.util.Assert;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Protects routes given as Spring {@link PathPattern}s and HTTP methods. The request path
 * is first normalized with {@link RequestPaths} (matrix parameters, percent-encoding,
 * {@code //}, dot segments and a trailing slash cannot dodge the match), patterns match
 * regardless of case, and a route for GET also covers HEAD, which Spring MVC dispatches
 * to GET handlers. The first matching route wins.
 *
 * @since 0.1.0
 */
public final class PathPatternCaptchaRuleResolver implements CaptchaRuleResolver {

	/**
	 * The HTTP methods a route may name (RFC 9110 and PATCH), in upper case; names are
	 * matched regardless of case. Anything else is refused, so that a typo such as
	 * {@code PSOT} cannot leave a route unprotected.
	 */
	public static final List<String> HTTP_METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
			"TRACE");

	private final List<Route> routes;

	/** Whether a route applies to every method. */
	private final boolean anyMethod;

	/** The methods routes name (upper case), when no route applies to every method. */
	private final String[] methods;

	private PathPatternCaptchaRuleResolver(List<Route> routes) {
		this.routes = List.copyOf(routes);
		Set<String> named = new LinkedHashSet<>();
		boolean any = false;
		for (Route route : this.routes) {
			any |= route.methods().isEmpty();
			named.addAll(route.methods());
		}
		this.anyMethod = any;
		this.methods = named.toArray(String[]::new);
	}

	/**
	 * Start building a resolver.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Whether no route is configured.
	 * @return {@code true} if the resolver never matches
	 */
	public boolean isEmpty() {
		return this.routes.isEmpty();
	}

	@Override
	public @Nullable CaptchaRule resolve(HttpServletRequest request) {
		if (this.routes.isEmpty()) {
			return null;
		}
		String method = (request.getMethod() != null) ? request.getMethod().toUpperCase(Locale.ROOT) : "";
		PathContainer path = PathContainer.parsePath(RequestPaths.pathWithinApplication(request));
		for (Route route : this.routes) {
			if ((route.methods().isEmpty() || route.methods().contains(method)) && route.pattern().matches(path)) {
				return route.rule();
			}
		}
		return null;
	}

	/**
	 * Whether a route names this method (or one applies to every method), whatever the
	 * path: no path is parsed for methods that no route names.
	 * @param method the HTTP method, compared ignoring case
	 * @return {@code false} if no route can apply to a request with this method
	 */
	@Override
	public boolean mayProtect(String method) {
		if (this.anyMethod) {
			return true;
		}
		for (String named : this.methods) {
			if (named.equalsIgnoreCase(method)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether a name is one of {@link #HTTP_METHODS}, ignoring case and surrounding
	 * spaces.
	 * @param method the name
	 * @return {@code true} for {@code GET}, {@code post}, ..., {@code false} for
	 * {@code PSOT} or null
	 */
	public static boolean isHttpMethod(@Nullable String method) {
		return method != null && HTTP_METHODS.contains(method.trim().toUpperCase(Locale.ROOT));
	}

	private record Route(PathPattern pattern, Set<String> methods, CaptchaRule rule) {
	}

	/**
	 * Builds a {@link PathPatternCaptchaRuleResolver}. Not thread-safe.
	 *
	 * @since 0.1.0
	 */
	public static final class Builder {

		private final PathPatternParser parser = new PathPatternParser();

		private final List<Route> routes = new ArrayList<>();

		private Builder() {
			this.parser.setCaseSensitive(false);
		}

		/**
		 * Add a route.
		 * @param pattern the path pattern, relative to the context path
		 * @param methods the HTTP methods; empty for every method
		 * @param rule what the route asks of the token
		 * @return this builder
		 * @throws IllegalArgumentException if the pattern does not parse or a method is
		 * not one of {@link #HTTP_METHODS} (in any case)
		 */
		public Builder route(String pattern, Collection<String> methods, CaptchaRule rule) {
			Assert.hasText(pattern, "pattern cannot be empty");
			Assert.notNull(methods, "methods cannot be null");
			Assert.notNull(rule, "rule cannot be null");
			String trimmed = pattern.trim();
			Assert.isTrue(trimmed.startsWith("/"), "pattern must start with '/'");
			if (trimmed.length() > 1 && trimmed.endsWith("/")) {
				trimmed = trimmed.substring(0, trimmed.length() - 1);
			}
			Set<String> upper = new LinkedHashSet<>();
			for (String method : methods) {
				Assert.isTrue(isHttpMethod(method), () -> "'" + method + "' is not an HTTP method " + HTTP_METHODS);
				upper.add(method.trim().toUpperCase(Locale.ROOT));
			}
			if (upper.contains("GET")) {
				upper.add("HEAD");
			}
			PathPattern parsed;
			try {
				parsed = this.parser.parse(trimmed);
			}
			catch (RuntimeException ex) {
				throw new IllegalArgumentException("'" + pattern + "' is not a valid path pattern: " + ex.getMessage(),
						ex);
			}
			this.routes.add(new Route(parsed, Set.copyOf(upper), rule));
			return this;
		}

		/**
		 * Build the resolver.
		 * @return the resolver
		 */
		public PathPatternCaptchaRuleResolver build() {
			return new PathPatternCaptchaRuleResolver(this.routes);
		}

	}

}
