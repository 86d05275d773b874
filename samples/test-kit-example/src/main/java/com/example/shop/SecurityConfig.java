package com.example.shop;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

import static io.github.captchasecurity.security.config.CaptchaConfigurer.captcha;

/**
 * Form login whose form always requires a CAPTCHA ({@code captcha.login}), with the
 * CAPTCHA configurer enforcing the routes and {@code @RequireCaptcha} in this chain.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		// @formatter:off
		http
			.authorizeHttpRequests((authorize) -> authorize
				.requestMatchers("/account").authenticated()
				.anyRequest().permitAll())
			.formLogin((login) -> login.defaultSuccessUrl("/account", true))
			.csrf((csrf) -> csrf.ignoringRequestMatchers("/api/**"))
			.with(captcha(), (captcha) -> captcha.loginAction("login"));
		// @formatter:on
		return http.build();
	}

	@Bean
	UserDetailsService users() {
		return new InMemoryUserDetailsManager(
				User.withUsername("alice").password("{noop}wonderland").roles("USER").build());
	}

}
