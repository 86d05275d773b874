package io.github.captchasecurity.autoconfigure;

import io.github.captchasecurity.CaptchaVerifier;
import io.github.captchasecurity.ProviderCapabilities;
import io.github.captchasecurity.ProviderPolicy;
import io.github.captchasecurity.provider.enterprise.RecaptchaEnterpriseVerifier;

/**
 * Type {@code recaptcha-enterprise}: {@code api-key}, {@code project-id},
 * {@code site-key} (all required), {@code verify-url} (a template with
 * {@code {project}}).
 */
final class RecaptchaEnterpriseProviderFactory implements ShippedProviderFactory {

	@Override
	public String type() {
		return RecaptchaEnterpriseVerifier.CAPABILITIES.type();
	}

	@Override
	public boolean builds(CaptchaVerifier verifier) {
		return verifier instanceof RecaptchaEnterpriseVerifier;
	}

	@Override
	public ProviderCapabilities capabilities() {
		return RecaptchaEnterpriseVerifier.CAPABILITIES;
	}

	@Override
	public ProviderPolicy createProvider(CaptchaProviderDefinition definition) {
		CaptchaProperties.Provider properties = definition.properties();
		String apiKey = definition.required("api-key", properties.getApiKey());
		String projectId = definition.required("project-id", properties.getProjectId());
		String siteKey = definition.required("site-key", properties.getSiteKey());
		String configured = PropertyChecks.trimmed(properties.getVerifyUrl());
		String template = (configured != null) ? configured : RecaptchaEnterpriseVerifier.DEFAULT_VERIFY_URL;
		String url = RecaptchaEnterpriseVerifier.assessmentsUrl(template, projectId).toString();
		return definition.policy(new RecaptchaEnterpriseVerifier(definition.name(),
				PropertyChecks.url("providers." + definition.name() + ".verify-url", url, null), apiKey, siteKey,
				definition.httpClient()), capabilities());
	}

}
