package io.github.captchasecurity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Picks the provider of a verification: the one the client names or whose form field
 * carried the token, if the route accepts several; else the route's provider or the
 * default.
 */
final class ProviderSelection {

	private static final String RECAPTCHA_COMPAT_FIELD = "g-recaptcha-response";

	private final Map<String, ProviderPolicy> providers;

	private final @Nullable String defaultProvider;

	ProviderSelection(Map<String, ProviderPolicy> providers, @Nullable String defaultProvider) {
		this.providers = providers;
		this.defaultProvider = defaultProvider;
	}

	ProviderPolicy policyFor(CaptchaRule rule, VerificationContext context) {
		List<String> accepted = rule.providers();
		if (rule.escalateTo() != null && !accepted.contains(rule.escalateTo())) {
			accepted = new ArrayList<>(
					(accepted.isEmpty() && this.defaultProvider != null) ? List.of(this.defaultProvider) : accepted);
			accepted.add(rule.escalateTo());
		}
		if (accepted.size() > 1) {
			// a provider the client names wins, if the route accepts it
			String hint = context.providerHint();
			if (hint != null && accepted.contains(hint) && this.providers.containsKey(hint)) {
				return this.providers.get(hint);
			}
			ProviderPolicy byField = null;
			for (String candidate : accepted) {
				ProviderPolicy policy = this.providers.get(candidate);
				if (policy != null && policy.formField() != null
						&& context.tokenFields().contains(policy.formField())) {
					// drop-in widgets (hCaptcha, Turnstile in compat mode) fill
					// g-recaptcha-response as well as their
					// own field: their own field says more than the shared one
					if (!RECAPTCHA_COMPAT_FIELD.equals(policy.formField())) {
						return policy;
					}
					byField = (byField != null) ? byField : policy;
				}
			}
			if (byField != null) {
				return byField;
			}
		}
		String name = (rule.provider() != null) ? rule.provider() : this.defaultProvider;
		Checks.requireState(name != null, "No CAPTCHA provider is configured");
		ProviderPolicy policy = this.providers.get(name);
		Checks.requireState(policy != null, "CAPTCHA provider '" + name + "' is not configured");
		return policy;
	}

}
