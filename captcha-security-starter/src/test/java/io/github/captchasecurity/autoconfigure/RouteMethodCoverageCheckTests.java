package io.github.captchasecurity.autoconfigure;

import java.util.Map;

import io.github.captchasecurity.annotation.RequireCaptcha;
import io.github.captchasecurity.web.CaptchaHandlerInterceptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start-up check of method-restricted {@code captcha.routes} against the handlers
 * they cover, and the registration of the Spring MVC interceptor.
 */
@ExtendWith(OutputCaptureExtension.class)
class RouteMethodCoverageCheckTests {

	private static final String ALL_METHODS = Handlers.class.getName() + "#anyMethod";

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CaptchaAutoConfiguration.class, WebMvcAutoConfiguration.class,
				DispatcherServletAutoConfiguration.class))
		.withUserConfiguration(Handlers.class)
		.withPropertyValues("captcha.providers.google.type=recaptcha", "captcha.providers.google.secret=x");

	@Test
	void postOnlyRouteOnHandlerAcceptingEveryMethodThenWarnsNamingPropertyAndHandler(CapturedOutput output) {
		this.contextRunner.withPropertyValues("captcha.routes[0].path=/api/any", "captcha.routes[0].methods=POST")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).contains("WARN")
					.contains("captcha.routes[0].methods [POST] covers only some methods of " + ALL_METHODS
							+ " [/api/any], which accepts every HTTP method");
			});
	}

	@Test
	void postOnlyRouteOnHandlerAcceptingGetAndPostThenWarnsNamingTheOpenMethods(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("captcha.routes[0].path=/api/post-only", "captcha.routes[0].methods=POST",
					"captcha.routes[1].path=/api/get-and-post", "captcha.routes[1].methods=post")
			.run((context) -> assertThat(output).contains("captcha.routes[1].methods [POST] leaves [GET, HEAD] open on "
					+ Handlers.class.getName() + "#getAndPost [/api/get-and-post]"));
	}

	@Test
	void wildcardRouteThenEveryHandlerItCoversIsChecked(CapturedOutput output) {
		this.contextRunner.withPropertyValues("captcha.routes[0].path=/api/**", "captcha.routes[0].methods=POST")
			.run((context) -> assertThat(output).contains(ALL_METHODS)
				.contains(Handlers.class.getName() + "#item [/api/items/{id}]")
				.doesNotContain(Handlers.class.getName() + "#postOnly"));
	}

	@Test
	void literalRouteInsideAPatternedHandlerThenThatHandlerIsChecked(CapturedOutput output) {
		this.contextRunner.withPropertyValues("captcha.routes[0].path=/api/items/42", "captcha.routes[0].methods=POST")
			.run((context) -> assertThat(output)
				.contains("captcha.routes[0].methods [POST] covers only some methods of " + Handlers.class.getName()
						+ "#item"));
	}

	@Test
	void handlerMethodsAllCoveredThenNoWarning(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("captcha.routes[0].path=/api/post-only", "captcha.routes[0].methods=POST",
					"captcha.routes[1].path=/api/get-and-post", "captcha.routes[1].methods=GET,POST")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).doesNotContain("captcha.routes[");
			});
	}

	@Test
	void routeWithoutMethodsOrAnotherRouteCoveringTheRestThenNoWarning(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("captcha.routes[0].path=/api/any", "captcha.routes[0].methods=POST",
					"captcha.routes[0].action=any", "captcha.routes[1].path=/api/**")
			.run((context) -> assertThat(output).doesNotContain("captcha.routes["));
	}

	@Test
	void requireCaptchaOnHandlerThenCoveredWhateverTheMethodAndNoWarning(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("captcha.routes[0].path=/api/annotated-any", "captcha.routes[0].methods=POST")
			.run((context) -> assertThat(output).doesNotContain("captcha.routes["));
	}

	@Test
	void springMvcPresentThenInterceptorRegisteredAndBacksOffForUserBean() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasBean("captchaWebMvcConfigurer").hasSingleBean(RouteMethodCoverageCheck.class);
			assertThat(context.getBean("captchaWebMvcConfigurer")).isInstanceOf(CaptchaWebMvcConfigurer.class);
		});
		this.contextRunner.withUserConfiguration(UserMvcConfigurer.class)
			.run((context) -> assertThat(context.getBean("captchaWebMvcConfigurer"))
				.isNotInstanceOf(CaptchaWebMvcConfigurer.class));
	}

	@Test
	void springMvcMissingThenNoInterceptor() {
		new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(CaptchaAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(WebMvcConfigurer.class, CaptchaHandlerInterceptor.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean("captchaWebMvcConfigurer");
			});
	}

	@RestController
	static class Handlers {

		@RequestMapping("/api/any")
		Map<String, Object> anyMethod() {
			return Map.of();
		}

		@RequestMapping(path = "/api/get-and-post", method = { RequestMethod.GET, RequestMethod.POST })
		Map<String, Object> getAndPost() {
			return Map.of();
		}

		@PostMapping("/api/post-only")
		Map<String, Object> postOnly() {
			return Map.of();
		}

		@RequestMapping("/api/items/{id}")
		Map<String, Object> item(@PathVariable("id") String id) {
			return Map.of();
		}

		@RequestMapping("/api/annotated-any")
		@RequireCaptcha
		Map<String, Object> annotatedAny() {
			return Map.of();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserMvcConfigurer {

		@Bean
		WebMvcConfigurer captchaWebMvcConfigurer() {
			return new WebMvcConfigurer() {
			};
		}

	}

}
