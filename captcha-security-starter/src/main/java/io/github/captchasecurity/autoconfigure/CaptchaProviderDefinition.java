package io.github.captchasecurity.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import io.github.captchasecurity.CaptchaVerifier;
import io.github.captchasecurity.ProviderCapabilities;
import io.github.captchasecurity.ProviderPolicy;
import io.github.captchasecurity.http.CaptchaHttpClient;
import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * One entry of {@code captcha.providers}, handed to the {@link CaptchaProviderFactory} of
 * its type: its name, its properties, its free-form settings and the shared provider HTTP
 * client, with helpers that fail start-up naming the property of a bad value (secret
 * values are never shown).
 *
 * @since 0.1.0
 */
public final class CaptchaProviderDefinition {

	private final String name;

	private final String type;

	private final CaptchaProperties.Provider properties;

	private final CaptchaHttpClient httpClient;

	private final int defaultMaxTokenLength;

	CaptchaProviderDefinition(String name, String type, CaptchaProperties.Provider properties,
			CaptchaHttpClient httpClient, int defaultMaxTokenLength) {
		this.name = name;
		this.type = type;
		this.properties = properties;
		this.httpClient = httpClient;
		this.defaultMaxTokenLength = defaultMaxTokenLength;
	}

	/**
	 * The provider name: the key under {@code captcha.providers}, which routes refer to.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * The provider type, trimmed and lower case.
	 * @return the type
	 */
	public String type() {
		return this.type;
	}

	/**
	 * The provider's properties, {@code captcha.providers.<name>.*}.
	 * @return the properties
	 */
	public CaptchaProperties.Provider properties() {
		return this.properties;
	}

	/**
	 * The free-form settings of a custom type,
	 * {@code captcha.providers.<name>.settings.*}.
	 * @return the settings, never null
	 */
	public Map<String, String> settings() {
		return Map.copyOf(this.properties.getSettings());
	}

	/**
	 * The shared HTTP client for calls to the provider (timeouts and pool of
	 * {@code captcha.http.*}).
	 * @return the client
	 */
	public CaptchaHttpClient httpClient() {
		return this.httpClient;
	}

	/**
	 * The full name of one of the provider's properties, for messages.
	 * @param property the property under {@code captcha.providers.<name>}, such as
	 * {@code secret}
	 * @return the full name, such as {@code captcha.providers.google.secret}
	 */
	public String property(String property) {
		return PropertyChecks.PREFIX + "." + relative(property);
	}

	/**
	 * A property the type needs.
	 * @param property the property under {@code captcha.providers.<name>}, such as
	 * {@code secret}
	 * @param value its value
	 * @return the value, trimmed
	 * @throws org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException
	 * if it is empty
	 */
	public String required(String property, @Nullable String value) {
		PropertyChecks.require(StringUtils.hasText(value), relative(property), null,
				"is required for type " + this.type);
		return value.trim();
	}

	/**
	 * A setting under {@code captcha.providers.<name>.settings} the type needs.
	 * @param key the setting's key
	 * @return the value, trimmed
	 * @throws org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException
	 * if it is empty
	 */
	public String requiredSetting(String key) {
		return required("settings." + key, this.properties.getSettings().get(key));
	}

	/**
	 * Fail start-up naming a property.
	 * @param property the property under {@code captcha.providers.<name>}
	 * @param value the bad value (not shown if the property is a secret or a setting)
	 * @param reason why it is refused
	 * @throws org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException
	 * always
	 */
	public void reject(String property, @Nullable Object value, String reason) {
		PropertyChecks.require(false, relative(property), value, reason);
	}

	/**
	 * A URL property: absolute, https (http only for loopback addresses), without
	 * credentials or query.
	 * @param property the property under {@code captcha.providers.<name>}, such as
	 * {@code verify-url}
	 * @param value its value, or null
	 * @param fallback the value when it is empty
	 * @return the URL
	 */
	public URI url(String property, @Nullable String value, URI fallback) {
		return PropertyChecks.url(relative(property), value, fallback);
	}

	/**
	 * The provider for a verifier, with the properties common to every type applied and
	 * validated: {@code hostnames}, {@code min-score} (refused for an unscored type),
	 * {@code max-token-age} (default: the type's token lifetime),
	 * {@code max-token-length} (default: the type's, else
	 * {@code captcha.token.max-length}) and {@code form-field} (default: the type's
	 * widget field).
	 * @param verifier the verifier
	 * @param capabilities what the type supports
	 * @return the provider
	 */
	public ProviderPolicy policy(CaptchaVerifier verifier, ProviderCapabilities capabilities) {
		return policy(this.name, verifier, capabilities, this.properties, this.defaultMaxTokenLength);
	}

	static ProviderPolicy policy(String name, CaptchaVerifier verifier, ProviderCapabilities capabilities,
			CaptchaProperties.Provider properties, int defaultMaxTokenLength) {
		String prefix = "providers." + name + ".";
		Double minScore = properties.getMinScore();
		PropertyChecks.requireScore(prefix + "min-score", minScore);
		PropertyChecks.require(minScore == null || capabilities.scoring() != ProviderCapabilities.Scoring.UNSCORED,
				prefix + "min-score", minScore,
				"is not supported by type " + capabilities.type() + ": it does not score tokens");
		Duration age = properties.getMaxTokenAge();
		if (age != null) {
			PropertyChecks.requirePositive(prefix + "max-token-age", age);
		}
		for (String hostname : properties.getHostnames()) {
			PropertyChecks.require(StringUtils.hasText(hostname) && !hostname.contains("/"), prefix + "hostnames",
					hostname, "must be a hostname such as example.com or *.example.com");
		}
		Integer length = properties.getMaxTokenLength();
		if (length != null) {
			PropertyChecks.require(length >= 1, prefix + "max-token-length", length, "must be at least 1");
		}
		int maxLength = (length != null) ? length
				: (capabilities.maxTokenLength() > 0) ? capabilities.maxTokenLength() : defaultMaxTokenLength;
		boolean scored = switch (capabilities.scoring()) {
			case SCORED -> true;
			case OPTIONAL -> minScore != null;
			case UNSCORED -> false;
		};
		return new ProviderPolicy(name, verifier, Set.copyOf(properties.getHostnames()), scored ? minScore : null,
				(age != null) ? age : capabilities.tokenLifetime(), capabilities.tokenLifetime(), maxLength, scored,
				formField(properties, capabilities));
	}

	/**
	 * The form field of a provider: configured, or its type's widget field.
	 * @param properties the provider properties
	 * @param capabilities what the provider's type supports
	 * @return the form field name
	 */
	static String formField(CaptchaProperties.Provider properties, ProviderCapabilities capabilities) {
		String configured = PropertyChecks.trimmed(properties.getFormField());
		return (configured != null) ? configured : capabilities.formField();
	}

	private String relative(String property) {
		return "providers." + this.name + "." + property;
	}

}
