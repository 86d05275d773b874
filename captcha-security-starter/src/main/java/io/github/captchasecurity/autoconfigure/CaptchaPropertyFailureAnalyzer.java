package io.github.captchasecurity.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import io.github.captchasecurity.web.PathPatternCaptchaRuleResolver;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Reports the library's configuration errors (an
 * {@link InvalidConfigurationPropertyValueException} for a {@code captcha.*} property, or
 * for {@code server.forward-headers-strategy} refused by the start-up checks): the
 * description names the property, where it is set (Boot's origin tracking, such as
 * {@code class path resource [application.yml] - 12:5}), the value when it is not a
 * secret and the reason; the action says what to write instead: the configured provider
 * names for a route's provider, the HTTP methods for {@code methods}, the command that
 * makes a signing key, the real secret for an official test secret in production. Secret
 * values ({@code secret}, {@code signing-key}, {@code api-key}, {@code app-secret},
 * {@code password}, site keys and custom settings) are never shown: Spring Boot's own
 * analyzer prints the value it finds in the environment, so this one runs first.
 */
final class CaptchaPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidConfigurationPropertyValueException>
		implements Ordered {

	private static final String KEY_COMMAND = "openssl rand -base64 32";

	private final @Nullable Environment environment;

	CaptchaPropertyFailureAnalyzer(@Nullable Environment environment) {
		this.environment = environment;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure,
			InvalidConfigurationPropertyValueException cause) {
		String property = cause.getName();
		if (!property.startsWith(PropertyChecks.PREFIX + ".")
				&& !property.equals(CaptchaStartupChecks.FORWARD_HEADERS_STRATEGY)) {
			return null;
		}
		boolean secret = isHidden(property) || PropertyChecks.HIDDEN.equals(cause.getValue());
		Origin origin = origin(property, secret ? null : cause.getValue());
		StringBuilder description = new StringBuilder("Invalid value for configuration property '").append(property)
			.append("'");
		if (origin != null) {
			description.append(" (set in ").append(origin).append(")");
		}
		if (secret && cause.getValue() != null) {
			description.append(" (a secret: its value is not shown)");
		}
		else if (cause.getValue() != null) {
			description.append(": '").append(cause.getValue()).append("'");
		}
		description.append(".\n\nReason: ").append((cause.getReason() != null) ? cause.getReason() : "unknown");
		return new FailureAnalysis(description.toString(), action(property, cause.getReason(), origin), cause);
	}

	private String action(String property, @Nullable String reason, @Nullable Origin origin) {
		String where = (origin != null) ? " in " + origin : " where it is set";
		String relative = property.substring(property.indexOf('.') + 1);
		String leaf = relative.replaceAll("\\[\\d+]$", "");
		leaf = leaf.substring(leaf.lastIndexOf('.') + 1);
		String why = (reason != null) ? reason : "";
		if (relative.equals("builtin.signing-key")) {
			return "Generate a signing key of your own with: " + KEY_COMMAND + "\nand pass it through the environment "
					+ "rather than a file: " + property + "=${CAPTCHA_SIGNING_KEY} (environment variable "
					+ "CAPTCHA_SIGNING_KEY). Each application needs its own key: never a provider's credential or an "
					+ "example value.";
		}
		if (why.contains("official test secret")) {
			return "Set " + property + " to the provider's real secret (from its admin console, through an "
					+ "environment variable). Test secrets are refused when " + PropertyChecks.PREFIX
					+ ".test-keys.allowed=false or a production profile (prod, production, prod-*, *-prod) is "
					+ "active; outside production drop that profile and leave " + PropertyChecks.PREFIX
					+ ".test-keys.allowed unset.";
		}
		if (leaf.equals("provider") || leaf.equals("escalate-to") || relative.equals("default-provider")) {
			return "Update " + property + where + " to one of the configured provider names: " + providerNames()
					+ " (the keys under " + PropertyChecks.PREFIX + ".providers, or the names of your CaptchaVerifier "
					+ "beans), or add a provider of that name under " + PropertyChecks.PREFIX + ".providers.";
		}
		if (leaf.equals("methods")) {
			return "Update " + property + where + " to HTTP methods only, such as: methods: [POST] (one of "
					+ PathPatternCaptchaRuleResolver.HTTP_METHODS + ", in any case); leave it out to cover every "
					+ "method.";
		}
		if (isHidden(property)) {
			return "Review the value of " + property
					+ " where it is set (environment variable, secret store or configuration file).";
		}
		return "Update " + property + where + " so that it " + (why.isEmpty() ? "is valid" : "no longer: " + why)
				+ " (see the configuration properties in the README).";
	}

	// The providers configured under captcha.providers, sorted.
	private Set<String> providerNames() {
		Set<String> names = new TreeSet<>();
		if (this.environment != null) {
			try {
				Binder.get(this.environment)
					.bind(PropertyChecks.PREFIX + ".providers", Bindable.mapOf(String.class, Object.class))
					.ifBound((providers) -> names.addAll(providers.keySet()));
			}
			catch (RuntimeException ex) {
				// not bindable: the names are unknown
			}
		}
		if (names.isEmpty()) {
			names.add(CaptchaSettings.IMPLICIT_PROVIDER);
		}
		return names;
	}

	// Where a property is set: the property itself, else (a list) the element with the
	// value, else its
	// first element.
	private @Nullable Origin origin(String property, @Nullable Object value) {
		ConfigurationPropertyName name = ConfigurationPropertyName.ofIfValid(property);
		if (this.environment == null || name == null) {
			return null;
		}
		List<ConfigurationProperty> children = new ArrayList<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			ConfigurationProperty exact = source.getConfigurationProperty(name);
			if (exact != null && exact.getOrigin() != null) {
				return exact.getOrigin();
			}
			if (source instanceof IterableConfigurationPropertySource iterable) {
				iterable.filter(name::isAncestorOf)
					.stream()
					.map(source::getConfigurationProperty)
					.filter(Objects::nonNull)
					.filter((child) -> child.getOrigin() != null)
					.forEach(children::add);
			}
		}
		for (ConfigurationProperty child : children) {
			if (value != null && String.valueOf(child.getValue()).trim().equals(String.valueOf(value).trim())) {
				return child.getOrigin();
			}
		}
		return children.isEmpty() ? null : children.get(0).getOrigin();
	}

	// Whether a property's value must never be shown.
	static boolean isHidden(String property) {
		String name = property.toLowerCase(Locale.ROOT).replaceAll("\\[\\d+]$", "");
		return isSecret(name) || name.endsWith("key") || name.endsWith("site-keys") || name.contains(".settings.");
	}

	static boolean isSecret(String property) {
		String name = property.toLowerCase(Locale.ROOT);
		return name.endsWith("secret") || name.endsWith("signing-key") || name.endsWith("api-key")
				|| name.endsWith("hmac-key") || name.endsWith("password");
	}

}
