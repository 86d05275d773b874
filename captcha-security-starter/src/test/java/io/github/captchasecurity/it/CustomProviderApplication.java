package io.github.captchasecurity.it;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.captchasecurity.CaptchaVerifier;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationRequest;
import io.github.captchasecurity.VerificationResult;
import io.github.captchasecurity.annotation.RequireCaptcha;
import io.github.captchasecurity.event.CaptchaEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application with a provider this library does not ship, "acme", whose tokens read
 * {@code <accept-prefix>:<nonce>:<action>:<score>}: as a {@link CaptchaVerifier} bean
 * ({@code CustomProviderBeanIntegrationTests}) or as a custom type built by a
 * {@code CaptchaProviderFactory} bean ({@code CustomProviderFactoryIntegrationTests}).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(CustomProviderApplication.Api.class)
class CustomProviderApplication {

	@Bean
	MeterRegistry meterRegistry() {
		return new SimpleMeterRegistry();
	}

	@Bean
	Events events() {
		return new Events();
	}

	/**
	 * Passes tokens {@code <prefix>:<nonce>:<action>:<score>}, reporting their action and
	 * score.
	 */
	static final class AcmeVerifier implements CaptchaVerifier {

		private final String name;

		private final String prefix;

		AcmeVerifier(String name, String prefix) {
			this.name = name;
			this.prefix = prefix;
		}

		@Override
		public VerificationResult verify(VerificationRequest request) {
			String[] parts = request.token().split(":");
			if (parts.length != 4 || !parts[0].equals(this.prefix)) {
				return VerificationResult.of(VerificationOutcome.INVALID, this.name);
			}
			return new VerificationResult(VerificationOutcome.PASSED, this.name, Double.valueOf(parts[3]), parts[2],
					null, null, List.of());
		}

	}

	/** The application events published for verifications. */
	static final class Events {

		final List<CaptchaEvent> received = new CopyOnWriteArrayList<>();

		@EventListener
		void on(CaptchaEvent event) {
			this.received.add(event);
		}

	}

	@RestController
	static class Api {

		@PostMapping("/api/signup")
		Map<String, Object> signup() {
			return Map.of("ok", true);
		}

		@PostMapping("/api/annotated")
		@RequireCaptcha(provider = "acme", action = "comment")
		Map<String, Object> annotated() {
			return Map.of("ok", true);
		}

	}

}
