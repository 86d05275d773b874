package io.github.captchasecurity.store.redis;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.DefaultAuthenticationEventPublisher;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import static io.github.captchasecurity.security.config.CaptchaConfigurer.captcha;

/**
 * An application started several times in one JVM against one Redis: routes protected by
 * the built-in provider and by a hosted one, an open route, and a Spring Security form
 * login with "CAPTCHA after failed logins". Each handler counts its calls in a static
 * counter shared by all instances.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableWebSecurity
@Import(RedisStoreApplication.Api.class)
class RedisStoreApplication {

	static final AtomicInteger protectedCalls = new AtomicInteger();

	@Bean
	SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
		http.csrf((csrf) -> csrf.disable())
			.authorizeHttpRequests(
					(requests) -> requests.requestMatchers("/account").authenticated().anyRequest().permitAll())
			.formLogin(Customizer.withDefaults())
			.with(captcha(), Customizer.withDefaults());
		return http.build();
	}

	@Bean
	InMemoryUserDetailsManager userDetailsService() {
		return new InMemoryUserDetailsManager(User.withUsername("alice").password("{noop}wonderland").build());
	}

	@Bean
	AuthenticationEventPublisher authenticationEventPublisher() {
		return new DefaultAuthenticationEventPublisher();
	}

	@Bean
	MeterRegistry meterRegistry() {
		return new SimpleMeterRegistry();
	}

	@RestController
	static class Api {

		@PostMapping({ "/api/builtin", "/api/hosted" })
		Map<String, Object> protectedRoute() {
			protectedCalls.incrementAndGet();
			return Map.of("ok", true);
		}

		@GetMapping("/api/open")
		Map<String, Object> open() {
			return Map.of("open", true);
		}

		@GetMapping("/account")
		String account() {
			return "account";
		}

	}

}
