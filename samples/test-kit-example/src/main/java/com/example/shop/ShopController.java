package com.example.shop;

import java.util.Map;

import io.github.captchasecurity.annotation.RequireCaptcha;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The shop's endpoints: orders need a CAPTCHA through {@code @RequireCaptcha}; the
 * newsletter and the price quote through routes of {@code application.yml}.
 */
@RestController
class ShopController {

	@PostMapping("/api/orders")
	@RequireCaptcha(action = "order", minScore = 0.5)
	Map<String, Object> order(@RequestBody Map<String, Object> order) {
		return Map.of("ordered", order.getOrDefault("item", "?"));
	}

	@PostMapping("/api/newsletter")
	Map<String, Object> subscribe() {
		return Map.of("subscribed", true);
	}

	@PostMapping("/api/quote")
	Map<String, Object> quote() {
		return Map.of("price", 42);
	}

	@GetMapping("/account")
	String account() {
		return "your account";
	}

}
