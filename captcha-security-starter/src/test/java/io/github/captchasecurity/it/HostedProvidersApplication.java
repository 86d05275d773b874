package io.github.captchasecurity.it;

import java.util.Map;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * One echo route per provider; which provider protects which route is configured in the
 * test.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(HostedProvidersApplication.Echo.class)
class HostedProvidersApplication {

	@RestController
	static class Echo {

		@PostMapping("/api/{route}")
		Map<String, Object> echo(@PathVariable("route") String route) {
			return Map.of("passed", route);
		}

	}

}
