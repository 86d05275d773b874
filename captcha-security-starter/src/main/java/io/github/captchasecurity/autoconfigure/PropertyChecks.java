package io.github.captchasecurity.autoconfigure;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Validation helpers shared by the mapping of {@link CaptchaProperties} and the provider
 * factories. A bad value throws {@link InvalidConfigurationPropertyValueException} naming
 * the property; values of secret properties are shown as {@value #HIDDEN}. Property names
 * are given without the {@code captcha.} prefix.
 */
final class PropertyChecks {

	static final String PREFIX = "captcha";

	static final String HIDDEN = "<hidden>";

	private PropertyChecks() {
	}

	static void require(boolean condition, String property, @Nullable Object value, String reason) {
		if (!condition) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + "." + property, shown(property, value),
					reason);
		}
	}

	private static @Nullable Object shown(String property, @Nullable Object value) {
		boolean secret = CaptchaPropertyFailureAnalyzer.isSecret(property) || property.endsWith("key")
				|| property.contains(".settings.");
		return (value != null && secret) ? HIDDEN : value;
	}

	static void requirePositive(String property, @Nullable Duration duration) {
		require(duration != null && !duration.isNegative() && !duration.isZero(), property, duration,
				"must be positive");
	}

	static void requireScore(String property, @Nullable Double score) {
		require(score == null || (score >= 0.0 && score <= 1.0), property, score, "must be between 0.0 and 1.0");
	}

	static @Nullable String trimmed(@Nullable String value) {
		return StringUtils.hasText(value) ? value.trim() : null;
	}

	/**
	 * An absolute https URL without credentials or query (http only for loopback
	 * addresses), or the fallback when the value is empty.
	 * @param property the property, for the message
	 * @param value the configured value, or null
	 * @param fallback the URL to use when the value is empty, or null
	 * @return the URL, or the fallback
	 */
	static URI url(String property, @Nullable String value, @Nullable URI fallback) {
		if (!StringUtils.hasText(value)) {
			Assert.state(fallback != null, "no default URL");
			return fallback;
		}
		URI uri;
		try {
			uri = new URI(value.trim());
		}
		catch (URISyntaxException ex) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + "." + property, value, "is not a URL");
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		require(uri.getHost() != null && (scheme.equals("https") || scheme.equals("http")), property, value,
				"must be an absolute http(s) URL");
		require(uri.getRawUserInfo() == null && uri.getRawQuery() == null, property, value,
				"must not carry credentials or a query string");
		require(scheme.equals("https") || isLoopback(uri.getHost()), property, value,
				"must use https (plain http is allowed for loopback addresses only)");
		return uri;
	}

	private static boolean isLoopback(String host) {
		if (host.equalsIgnoreCase("localhost")) {
			return true;
		}
		String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
		if (!literal.matches("[0-9.]+|[0-9a-fA-F:]+")) {
			return false;
		}
		try {
			return InetAddress.getByName(literal).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

}
