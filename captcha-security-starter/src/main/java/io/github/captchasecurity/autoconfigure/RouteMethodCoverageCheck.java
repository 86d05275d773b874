package io.github.captchasecurity.autoconfigure;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.captchasecurity.annotation.RequireCaptchaRuleResolver;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.http.server.PathContainer;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Warns at start-up when a {@code captcha.routes} entry restricted to some HTTP methods
 * covers a handler method that accepts others: those requests run the handler without a
 * CAPTCHA. A handler is covered by a route when the route's pattern matches the handler's
 * pattern, or when the route names a literal path that the handler is the most specific
 * mapping for. Methods covered by other routes on the same handler, and handlers with
 * {@code @RequireCaptcha} (which applies whatever the method), are not reported.
 */
final class RouteMethodCoverageCheck implements SmartInitializingSingleton {

	private static final Logger logger = LoggerFactory.getLogger(RouteMethodCoverageCheck.class);

	private final CaptchaProperties properties;

	private final ObjectProvider<RequestMappingHandlerMapping> handlerMappings;

	private final ObjectProvider<RequireCaptchaRuleResolver> annotations;

	RouteMethodCoverageCheck(CaptchaProperties properties, ObjectProvider<RequestMappingHandlerMapping> handlerMappings,
			ObjectProvider<RequireCaptchaRuleResolver> annotations) {
		this.properties = properties;
		this.handlerMappings = handlerMappings;
		this.annotations = annotations;
	}

	@Override
	public void afterSingletonsInstantiated() {
		List<Route> routes = routes();
		if (routes.stream().noneMatch((route) -> !route.methods().isEmpty())) {
			return;
		}
		RequireCaptchaRuleResolver annotations = this.annotations.getIfAvailable();
		List<HandlerMethodMapping> handlers = new ArrayList<>();
		this.handlerMappings.orderedStream()
			.forEach((mapping) -> mapping.getHandlerMethods()
				.forEach((info, handler) -> handlers.add(new HandlerMethodMapping(info, handler, patterns(info)))));
		for (HandlerMethodMapping handler : handlers) {
			if (annotations != null && annotations.resolve(handler.handler()) != null) {
				continue;
			}
			check(handler, routes, handlers);
		}
	}

	private void check(HandlerMethodMapping handler, List<Route> routes, List<HandlerMethodMapping> handlers) {
		List<Route> covering = routes.stream().filter((route) -> covers(route, handler, handlers)).toList();
		if (covering.isEmpty() || covering.stream().anyMatch((route) -> route.methods().isEmpty())) {
			return;
		}
		Set<String> covered = covering.stream()
			.flatMap((route) -> route.methods().stream())
			.collect(Collectors.toCollection(LinkedHashSet::new));
		Set<String> accepted = accepted(handler.info());
		String properties = covering.stream()
			.map((route) -> "captcha.routes[" + route.index() + "].methods " + route.methods())
			.collect(Collectors.joining(", "));
		String name = handler.handler().getBeanType().getName() + "#" + handler.handler().getMethod().getName();
		if (accepted.isEmpty()) {
			logger.warn("{} covers only some methods of {} {}, which accepts every HTTP method: requests with other "
					+ "methods run it without a CAPTCHA. Remove the methods from the route (every method is then "
					+ "covered), or restrict the handler's mapping (such as @PostMapping)", properties, name,
					handler.patterns());
			return;
		}
		Set<String> open = new LinkedHashSet<>(accepted);
		open.removeAll(covered);
		if (!open.isEmpty()) {
			logger.warn(
					"{} leaves {} open on {} {}, which accepts them: those requests run it without a CAPTCHA. "
							+ "Add them to the route's methods, or restrict the handler's mapping",
					properties, open, name, handler.patterns());
		}
	}

	private static boolean covers(Route route, HandlerMethodMapping handler, List<HandlerMethodMapping> handlers) {
		for (String pattern : handler.patterns()) {
			if (route.pattern().matches(PathContainer.parsePath(pattern))) {
				return true;
			}
		}
		if (route.pattern().hasPatternSyntax()) {
			return false;
		}
		// a literal route inside a handler's pattern: only the most specific handler
		// pattern serves it
		PathContainer path = PathContainer.parsePath(route.pattern().getPatternString());
		PathPattern mine = mostSpecificMatch(handler, path);
		if (mine == null) {
			return false;
		}
		for (HandlerMethodMapping other : handlers) {
			PathPattern theirs = mostSpecificMatch(other, path);
			if (theirs != null && PathPattern.SPECIFICITY_COMPARATOR.compare(theirs, mine) < 0) {
				return false;
			}
		}
		return true;
	}

	private static @Nullable PathPattern mostSpecificMatch(HandlerMethodMapping handler, PathContainer path) {
		return handler.parsed()
			.stream()
			.filter((pattern) -> pattern.matches(path))
			.min(PathPattern.SPECIFICITY_COMPARATOR)
			.orElse(null);
	}

	private static Set<String> accepted(RequestMappingInfo info) {
		Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
		if (methods.isEmpty()) {
			return Set.of();
		}
		Set<RequestMethod> effective = EnumSet.copyOf(methods);
		if (effective.contains(RequestMethod.GET)) {
			effective.add(RequestMethod.HEAD);
		}
		return effective.stream().map(Enum::name).collect(Collectors.toCollection(LinkedHashSet::new));
	}

	private static Set<String> patterns(RequestMappingInfo info) {
		return info.getPatternValues();
	}

	private List<Route> routes() {
		PathPatternParser parser = new PathPatternParser();
		parser.setCaseSensitive(false);
		List<Route> routes = new ArrayList<>();
		List<CaptchaProperties.Route> configured = this.properties.getRoutes();
		for (int i = 0; i < configured.size(); i++) {
			CaptchaProperties.Route route = configured.get(i);
			if (!StringUtils.hasText(route.getPath())) {
				continue;
			}
			String path = route.getPath().trim();
			if (path.length() > 1 && path.endsWith("/")) {
				path = path.substring(0, path.length() - 1);
			}
			Set<String> methods = new LinkedHashSet<>();
			for (String method : route.getMethods()) {
				if (StringUtils.hasText(method)) {
					methods.add(method.trim().toUpperCase(Locale.ROOT));
				}
			}
			if (methods.contains("GET")) {
				methods.add("HEAD");
			}
			try {
				routes.add(new Route(i, parser.parse(path), methods));
			}
			catch (RuntimeException ex) {
				// the route resolver rejects it with the property's name
			}
		}
		return routes;
	}

	private record Route(int index, PathPattern pattern, Set<String> methods) {
	}

	private record HandlerMethodMapping(RequestMappingInfo info, HandlerMethod handler, Set<String> patterns) {

		List<PathPattern> parsed() {
			return this.patterns.stream()
				.map((pattern) -> PathPatternParser.defaultInstance.parse(pattern))
				.sorted(Comparator.comparing(PathPattern::getPatternString))
				.toList();
		}

	}

}
