package io.github.captchasecurity.it;

import java.util.Map;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A minimal application for the flooding and load tests: one route to protect by
 * configuration, one open.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(LoadTestApplication.Api.class)
class LoadTestApplication {

	@RestController
	static class Api {

		@PostMapping("/api/protected")
		Map<String, Object> protectedRoute() {
			return Map.of("ok", true);
		}

		@GetMapping("/api/open")
		Map<String, Object> open() {
			return Map.of("open", true);
		}

	}

}
