package io.github.captchasecurity.sample;

import java.util.Map;

import io.github.captchasecurity.annotation.RequireCaptcha;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sample's JSON API. Neither method checks a CAPTCHA itself: {@code /api/contact} is
 * protected by a route in {@code application.yml}, {@code /api/signup} by
 * {@link RequireCaptcha}.
 */
@RestController
class SampleController {

	@PostMapping("/api/contact")
	Map<String, Object> contact(@RequestBody ContactMessage message) {
		return Map.of("received", message.message());
	}

	@PostMapping("/api/signup")
	@RequireCaptcha(action = "signup")
	Map<String, Object> signup(@RequestBody SignupForm form) {
		return Map.of("created", form.username());
	}

	// The form the official ALTCHA widget fills (/altcha): protected by a route in
	// application.yml that reads the widget's altcha field.
	@PostMapping(path = "/api/feedback", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Map<String, Object> feedback(@RequestParam("message") String message) {
		return Map.of("received", message);
	}

	record ContactMessage(String message, String captchaToken) {
	}

	record SignupForm(String username) {
	}

}
