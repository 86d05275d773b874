package io.github.captchasecurity.autoconfigure;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Reports an invalid secret property ({@code captcha.builtin.signing-key}, a provider's
 * {@code secret}, {@code api-key} or {@code app-secret}) without its value. Spring Boot's
 * own analyzer of {@link InvalidConfigurationPropertyValueException} prints the value it
 * finds in the environment, whatever the exception carries, so this one runs first for
 * secret properties and names only the property, the reason and where to fix it.
 */
final class SecretPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidConfigurationPropertyValueException>
		implements Ordered {

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure,
			InvalidConfigurationPropertyValueException cause) {
		if (!isSecret(cause.getName())) {
			return null;
		}
		String description = "Invalid value for configuration property '" + cause.getName()
				+ "' (a secret: its value is not shown).\n\nReason: "
				+ ((cause.getReason() != null) ? cause.getReason() : "unknown");
		String action = "Review the value of " + cause.getName()
				+ " where it is set (environment variable, secret store or configuration file).";
		return new FailureAnalysis(description, action, cause);
	}

	static boolean isSecret(String property) {
		String name = property.toLowerCase(Locale.ROOT);
		return name.endsWith("secret") || name.endsWith("signing-key") || name.endsWith("api-key")
				|| name.endsWith("hmac-key") || name.endsWith("password");
	}

}
