package io.github.captchasecurity.sample;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

import static io.github.captchasecurity.security.config.CaptchaConfigurer.captcha;

/**
 * Spring Security for the sample: form login at {@code /login} for the in-memory user
 * alice / wonderland, whose form requires a CAPTCHA (action {@code login}) after failed
 * logins, and the CAPTCHA configurer, which also enforces the routes of
 * {@code application.yml} and {@code @RequireCaptcha} inside this filter chain. CSRF
 * stays on for browser forms; the JSON API under {@code /api/} works for non-browser
 * clients without a CSRF token.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		// @formatter:off
		http
			.authorizeHttpRequests((authorize) -> authorize
				.requestMatchers("/account").authenticated()
				.anyRequest().permitAll())
			.formLogin((login) -> login
				.loginPage("/login")
				.defaultSuccessUrl("/account", true)
				.permitAll())
			.logout((logout) -> logout.logoutSuccessUrl("/login?logout"))
			.csrf((csrf) -> csrf.ignoringRequestMatchers("/api/**"))
			.with(captcha(), (captcha) -> captcha
				.loginAction("login"));
		// @formatter:on
		return http.build();
	}

	@Bean
	UserDetailsService users() {
		// a demo account; {noop} stores the password in clear text, never do that for
		// real users
		return new InMemoryUserDetailsManager(
				User.withUsername("alice").password("{noop}wonderland").roles("USER").build());
	}

}
