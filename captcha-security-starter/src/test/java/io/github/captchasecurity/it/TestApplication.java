package io.github.captchasecurity.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.captchasecurity.VerificationResult;
import io.github.captchasecurity.annotation.RequireCaptcha;
import io.github.captchasecurity.servlet.CaptchaVerificationFilter;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application with routes protected in every supported way; each handler counts its
 * calls.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ TestApplication.Api.class, TestApplication.Annotated.class, TestApplication.WholeClass.class })
class TestApplication {

	static final AtomicInteger calls = new AtomicInteger();

	@Target(ElementType.METHOD)
	@Retention(RetentionPolicy.RUNTIME)
	@RequireCaptcha(action = "checkout", minScore = 0.9)
	@interface CheckoutCaptcha {

	}

	@RestController
	static class Api {

		/** Protected by a configured route; echoes the raw body it read. */
		@PostMapping("/api/contact")
		Map<String, Object> contact(@RequestBody byte[] body, HttpServletRequest request) {
			calls.incrementAndGet();
			VerificationResult result = (VerificationResult) request
				.getAttribute(CaptchaVerificationFilter.RESULT_ATTRIBUTE);
			return Map.of("body", new String(body, StandardCharsets.UTF_8), "score",
					(result != null && result.score() != null) ? result.score() : -1);
		}

		/** Protected by a configured route; form post. */
		@PostMapping("/api/form")
		Map<String, Object> form(@RequestParam("message") String message) {
			calls.incrementAndGet();
			return Map.of("message", message);
		}

		/** Protected by a GET route, to check HEAD. */
		@GetMapping("/api/report/{id}")
		Map<String, Object> report(@PathVariable("id") String id) {
			calls.incrementAndGet();
			return Map.of("id", id);
		}

		@GetMapping("/api/open")
		Map<String, Object> open() {
			calls.incrementAndGet();
			return Map.of("open", true);
		}

	}

	@RestController
	static class Annotated {

		@PostMapping("/api/signup")
		@RequireCaptcha(action = "signup")
		Map<String, Object> signup(@RequestBody Map<String, Object> body) {
			calls.incrementAndGet();
			return Map.of("created", body.get("username"));
		}

		@PostMapping("/api/checkout")
		@CheckoutCaptcha
		Map<String, Object> checkout() {
			calls.incrementAndGet();
			return Map.of("paid", true);
		}

		@PostMapping("/api/down")
		@RequireCaptcha(provider = "down")
		Map<String, Object> down() {
			calls.incrementAndGet();
			return Map.of("down", false);
		}

	}

	@RestController
	@RequestMapping("/api/account")
	@RequireCaptcha(action = "account")
	static class WholeClass {

		@PostMapping("/password")
		Map<String, Object> password() {
			calls.incrementAndGet();
			return Map.of("changed", true);
		}

		@PostMapping("/delete")
		@RequireCaptcha(action = "delete")
		Map<String, Object> delete() {
			calls.incrementAndGet();
			return Map.of("deleted", true);
		}

	}

}
