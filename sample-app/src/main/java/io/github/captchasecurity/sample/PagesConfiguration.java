package io.github.captchasecurity.sample;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The browser pages: {@code /contact} and {@code /signup} use the built-in widget and
 * post to the protected JSON routes; {@code /altcha} uses the official ALTCHA widget and
 * posts a form to {@code /api/feedback}.
 */
@Configuration(proxyBeanMethods = false)
class PagesConfiguration implements WebMvcConfigurer {

	@Override
	public void addViewControllers(ViewControllerRegistry registry) {
		registry.addViewController("/contact").setViewName("forward:/contact.html");
		registry.addViewController("/signup").setViewName("forward:/signup.html");
		registry.addViewController("/altcha").setViewName("forward:/altcha.html");
	}

}
