package io.github.captchasecurity.it;

import java.util.Map;

import io.github.captchasecurity.annotation.RequireCaptcha;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A login route per provider (configured in the test with the action {@code login}) and
 * one annotated with {@code @RequireCaptcha(action = "login")}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ActionBindingApplication.Api.class)
class ActionBindingApplication {

	@RestController
	static class Api {

		@PostMapping("/api/login/{provider}")
		Map<String, Object> login(@PathVariable("provider") String provider) {
			return Map.of("logged-in", provider);
		}

		@PostMapping("/api/annotated-login")
		@RequireCaptcha(provider = "local", action = "login")
		Map<String, Object> annotatedLogin() {
			return Map.of("logged-in", "annotated");
		}

	}

}
