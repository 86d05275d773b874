package io.github.captchasecurity.sample;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Tells the sample pages which widget to render: the type, public site key and form field
 * of the default provider. Only public values: never the secret.
 */
@RestController
class CaptchaConfigController {

	private static final Map<String, String> FIELDS = Map.of("builtin", "captcha-token", "recaptcha",
			"g-recaptcha-response", "hcaptcha", "h-captcha-response", "turnstile", "cf-turnstile-response", "captchala",
			"captchala-token");

	private final Environment environment;

	CaptchaConfigController(Environment environment) {
		this.environment = environment;
	}

	@GetMapping("/sample/captcha.json")
	Map<String, Object> captcha() {
		String provider = this.environment.getProperty("captcha.default-provider", "builtin");
		String prefix = "captcha.providers." + provider + ".";
		String type = this.environment.getProperty(prefix + "type", "builtin");
		String siteKey = "builtin".equals(type) ? this.environment.getProperty("captcha.builtin.site-keys[0]")
				: this.environment.getProperty(prefix + "site-key");
		Map<String, Object> config = new LinkedHashMap<>();
		config.put("provider", provider);
		config.put("type", type);
		config.put("siteKey", siteKey);
		config.put("field",
				this.environment.getProperty(prefix + "form-field", FIELDS.getOrDefault(type, "captcha-token")));
		return config;
	}

}
