package io.github.captchasecurity.autoconfigure;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

class CaptchaPropertiesTests {

	@Test
	void bindWhenNothingSetThenDefaults() {
		CaptchaProperties properties = bind(Map.of());
		assertThat(properties.isEnabled()).isTrue();
		assertThat(properties.getDefaultProvider()).isNull();
		assertThat(properties.getProviders()).isEmpty();
		assertThat(properties.getRoutes()).isEmpty();
		assertThat(properties.getToken().getHeader()).isEqualTo("X-Captcha-Token");
		assertThat(properties.getToken().getJsonField()).containsExactly("captchaToken", "altcha");
		assertThat(properties.getToken().getFormFields()).containsExactly("g-recaptcha-response", "h-captcha-response",
				"cf-turnstile-response", "captcha-token", "altcha");
		assertThat(properties.getToken().getMaxLength()).isEqualTo(4096);
		assertThat(properties.getToken().getMaxBody()).isEqualTo(DataSize.ofKilobytes(64));
		assertThat(properties.getReplay().getMaxEntries()).isEqualTo(1_000_000);
		assertThat(properties.getHttp().getConnectTimeout()).isEqualTo(Duration.ofSeconds(1));
		assertThat(properties.getHttp().getResponseTimeout()).isEqualTo(Duration.ofSeconds(3));
		assertThat(properties.getHttp().getMaxConnections()).isEqualTo(200);
	}

	@Test
	void bindWhenDocumentedExampleThenEveryValueBound() {
		Map<String, String> source = new HashMap<>();
		source.put("captcha.default-provider", "google");
		source.put("captcha.providers.google.type", "recaptcha");
		source.put("captcha.providers.google.secret", "s");
		source.put("captcha.providers.google.site-key", "k");
		source.put("captcha.providers.google.verify-url", "https://www.recaptcha.net/recaptcha/api/siteverify");
		source.put("captcha.providers.google.hostnames[0]", "example.com");
		source.put("captcha.providers.google.min-score", "0.5");
		source.put("captcha.providers.google.max-token-age", "2m");
		source.put("captcha.routes[0].path", "/api/contact");
		source.put("captcha.routes[0].methods[0]", "POST");
		source.put("captcha.routes[0].action", "contact");
		source.put("captcha.routes[0].min-score", "0.7");
		source.put("captcha.routes[0].provider", "google");
		source.put("captcha.token.header", "X-Token");
		source.put("captcha.token.json-field", "token");
		source.put("captcha.token.max-length", "2048");
		source.put("captcha.token.max-body", "128KB");
		source.put("captcha.replay.max-entries", "500");
		source.put("captcha.http.connect-timeout", "250ms");
		source.put("captcha.http.response-timeout", "2s");
		source.put("captcha.http.max-connections", "20");
		CaptchaProperties properties = bind(source);
		CaptchaProperties.Provider google = properties.getProviders().get("google");
		assertThat(properties.getDefaultProvider()).isEqualTo("google");
		assertThat(google.getType()).isEqualTo("recaptcha");
		assertThat(google.getSecret()).isEqualTo("s");
		assertThat(google.getSiteKey()).isEqualTo("k");
		assertThat(google.getVerifyUrl()).isEqualTo("https://www.recaptcha.net/recaptcha/api/siteverify");
		assertThat(google.getHostnames()).containsExactly("example.com");
		assertThat(google.getMinScore()).isEqualTo(0.5);
		assertThat(google.getMaxTokenAge()).isEqualTo(Duration.ofMinutes(2));
		CaptchaProperties.Route route = properties.getRoutes().get(0);
		assertThat(route.getPath()).isEqualTo("/api/contact");
		assertThat(route.getMethods()).containsExactly("POST");
		assertThat(route.getAction()).isEqualTo("contact");
		assertThat(route.getMinScore()).isEqualTo(0.7);
		assertThat(route.getProvider()).containsExactly("google");
		assertThat(properties.getToken().getHeader()).isEqualTo("X-Token");
		assertThat(properties.getToken().getJsonField()).containsExactly("token");
		assertThat(properties.getToken().getMaxLength()).isEqualTo(2048);
		assertThat(properties.getToken().getMaxBody()).isEqualTo(DataSize.ofKilobytes(128));
		assertThat(properties.getReplay().getMaxEntries()).isEqualTo(500);
		assertThat(properties.getHttp().getConnectTimeout()).isEqualTo(Duration.ofMillis(250));
		assertThat(properties.getHttp().getResponseTimeout()).isEqualTo(Duration.ofSeconds(2));
		assertThat(properties.getHttp().getMaxConnections()).isEqualTo(20);
	}

	private static CaptchaProperties bind(Map<String, String> source) {
		return new Binder(new MapConfigurationPropertySource(source)).bindOrCreate("captcha", CaptchaProperties.class);
	}

}
