package io.github.captchasecurity.annotation;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Set;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.autoconfigure.CaptchaAutoConfiguration;
import jakarta.servlet.DispatcherType;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.util.ServletRequestPathUtils;

import static org.assertj.core.api.Assertions.assertThat;

class RequireCaptchaRuleResolverTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CaptchaAutoConfiguration.class, WebMvcAutoConfiguration.class,
				DispatcherServletAutoConfiguration.class))
		.withPropertyValues("captcha.providers.google.type=recaptcha", "captcha.providers.google.secret=x");

	@Test
	void resolveWhenHandlerAnnotatedThenRuleFromAnnotation() {
		this.contextRunner.withUserConfiguration(Valid.class).run((context) -> {
			RequireCaptchaRuleResolver resolver = context.getBean(RequireCaptchaRuleResolver.class);
			assertThat(resolver.resolve(new MockHttpServletRequest("POST", "/signup")))
				.isEqualTo(new CaptchaRule(null, "signup", 0.5));
			assertThat(resolver.resolve(new MockHttpServletRequest("POST", "/order")))
				.isEqualTo(new CaptchaRule("google", "order", null));
			assertThat(resolver.resolve(new MockHttpServletRequest("HEAD", "/report")))
				.isEqualTo(new CaptchaRule(null, null, null));
			assertThat(resolver.resolve(new MockHttpServletRequest("GET", "/open"))).isNull();
			assertThat(resolver.resolve(new MockHttpServletRequest("GET", "/signup"))).isNull();
			assertThat(resolver.resolve(new MockHttpServletRequest("GET", "/nowhere"))).isNull();
		});
	}

	@Test
	void mayProtectWhenNoAnnotatedHandlerIsMappedToTheMethodThenFalse() {
		this.contextRunner.withUserConfiguration(Valid.class).run((context) -> {
			RequireCaptchaRuleResolver resolver = context.getBean(RequireCaptchaRuleResolver.class);
			assertThat(resolver.mayProtect("POST")).isTrue();
			assertThat(resolver.mayProtect("post")).isTrue();
			assertThat(resolver.mayProtect("GET")).isTrue();
			assertThat(resolver.mayProtect("HEAD")).isTrue();
			assertThat(resolver.mayProtect("PUT")).isFalse();
			assertThat(resolver.mayProtect("DELETE")).isFalse();
		});
	}

	@Test
	void mayProtectWhenAnnotatedHandlerMapsEveryMethodThenTrueForAny() {
		this.contextRunner.withUserConfiguration(EveryMethod.class).run((context) -> {
			RequireCaptchaRuleResolver resolver = context.getBean(RequireCaptchaRuleResolver.class);
			assertThat(resolver.mayProtect("PATCH")).isTrue();
			assertThat(resolver.resolve(new MockHttpServletRequest("PATCH", "/any")))
				.isEqualTo(new CaptchaRule(null, "any", null));
		});
	}

	@Test
	void mayProtectWhenNoHandlerAnnotatedThenFalse() {
		this.contextRunner.withUserConfiguration(Unprotected.class).run((context) -> {
			RequireCaptchaRuleResolver resolver = context.getBean(RequireCaptchaRuleResolver.class);
			assertThat(resolver.mayProtect("POST")).isFalse();
			assertThat(resolver.mayProtect("GET")).isFalse();
		});
	}

	@Test
	void resolveThenLeavesNoHandlerAttributesOnTheRequest() {
		this.contextRunner.withUserConfiguration(Valid.class).run((context) -> {
			RequireCaptchaRuleResolver resolver = context.getBean(RequireCaptchaRuleResolver.class);
			MockHttpServletRequest request = new MockHttpServletRequest("POST", "/signup");
			resolver.resolve(request);
			assertThat(request.getAttributeNames().hasMoreElements()).isFalse();
		});
	}

	@Test
	void resolveWhenForwardedFromAnOpenPathThenPathParsedByTheFirstDispatchIsNotUsed() {
		this.contextRunner.withUserConfiguration(Valid.class).run((context) -> {
			RequireCaptchaRuleResolver resolver = context.getBean(RequireCaptchaRuleResolver.class);
			MockHttpServletRequest request = new MockHttpServletRequest("POST", "/open");
			// the DispatcherServlet serving /open cached its parsed path, then the
			// handler forwarded to /signup
			ServletRequestPathUtils.parseAndCache(request);
			request.setRequestURI("/signup");
			request.setDispatcherType(DispatcherType.FORWARD);
			assertThat(resolver.resolve(request)).isEqualTo(new CaptchaRule(null, "signup", 0.5));
		});
	}

	@Test
	void resolveWhenHandlerMethodThenRuleOfThatHandler() {
		this.contextRunner.withUserConfiguration(Valid.class).run((context) -> {
			RequireCaptchaRuleResolver resolver = context.getBean(RequireCaptchaRuleResolver.class);
			HandlerMethod signup = new HandlerMethod(new Valid(), Valid.class.getDeclaredMethod("signup"));
			HandlerMethod open = new HandlerMethod(new Valid(), Valid.class.getDeclaredMethod("open"));
			assertThat(resolver.resolve(signup)).isEqualTo(new CaptchaRule(null, "signup", 0.5));
			assertThat(resolver.resolve(open)).isNull();
		});
	}

	// gh-9: rules were cached by Method alone, so controllers sharing an inherited
	// handler shared one rule
	@Test
	void resolveWhenTwoControllersInheritOneHandlerMethodThenEachHasItsOwnClassLevelRule() {
		this.contextRunner.withUserConfiguration(OrderController.class, CommentController.class, TagController.class)
			.run((context) -> {
				RequireCaptchaRuleResolver resolver = context.getBean(RequireCaptchaRuleResolver.class);
				assertThat(resolver.resolve(new MockHttpServletRequest("POST", "/orders/create")))
					.isEqualTo(new CaptchaRule(null, "order", null));
				assertThat(resolver.resolve(new MockHttpServletRequest("POST", "/comments/create")))
					.isEqualTo(new CaptchaRule("google", "comment", 0.7));
				assertThat(resolver.resolve(new MockHttpServletRequest("POST", "/tags/create"))).isNull();
				// the interceptor's lookup by handler method tells them apart too
				HandlerMethod order = new HandlerMethod(new OrderController(),
						CrudController.class.getDeclaredMethod("create"));
				HandlerMethod comment = new HandlerMethod(new CommentController(),
						CrudController.class.getDeclaredMethod("create"));
				HandlerMethod tag = new HandlerMethod(new TagController(),
						CrudController.class.getDeclaredMethod("create"));
				assertThat(resolver.resolve(order)).isEqualTo(new CaptchaRule(null, "order", null));
				assertThat(resolver.resolve(comment)).isEqualTo(new CaptchaRule("google", "comment", 0.7));
				assertThat(resolver.resolve(tag)).isNull();
			});
	}

	@Test
	void startupWhenAnnotationNamesUnknownProviderThenFails() {
		this.contextRunner.withUserConfiguration(UnknownProvider.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(root(context.getStartupFailure())).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("UnknownProvider#submit")
				.hasMessageContaining("'nope'");
		});
	}

	@Test
	void startupWhenMinScoreAboveOneThenFails() {
		this.contextRunner.withUserConfiguration(BadScore.class)
			.run((context) -> assertThat(root(context.getStartupFailure())).hasMessageContaining("BadScore#submit")
				.hasMessageContaining("minScore"));
	}

	@Test
	void startupWhenTwoDifferentAnnotationsThenFails() {
		this.contextRunner.withUserConfiguration(Ambiguous.class)
			.run((context) -> assertThat(root(context.getStartupFailure())).hasMessageContaining("Ambiguous#submit")
				.hasMessageContaining("different @RequireCaptcha"));
	}

	@Test
	void ruleOfWhenNoDefaultProviderAndAnnotationNamesNoneThenFails() throws Exception {
		RequireCaptchaRuleResolver resolver = new RequireCaptchaRuleResolver(List.of(), Set.of("google"), false);
		Assertions.assertThatIllegalStateException()
			.isThrownBy(() -> resolver.ruleOf(DefaultProvider.class.getDeclaredMethod("submit"), DefaultProvider.class))
			.withMessageContaining("DefaultProvider#submit")
			.withMessageContaining("needs a provider");
	}

	@Test
	void startupWhenNoProviderConfiguredThenImplicitBuiltinProviderServesAnnotations() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CaptchaAutoConfiguration.class, WebMvcAutoConfiguration.class,
					DispatcherServletAutoConfiguration.class))
			.withUserConfiguration(DefaultProvider.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(RequireCaptchaRuleResolver.class)
					.resolve(new MockHttpServletRequest("POST", "/x"))).isEqualTo(new CaptchaRule(null, "x", null));
			});
	}

	private static Throwable root(Throwable failure) {
		assertThat(failure).as("start-up failure").isNotNull();
		Throwable cause = failure;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	@Target({ ElementType.METHOD, ElementType.TYPE })
	@Retention(RetentionPolicy.RUNTIME)
	@RequireCaptcha(action = "a")
	@interface CaptchaA {

	}

	@Target({ ElementType.METHOD, ElementType.TYPE })
	@Retention(RetentionPolicy.RUNTIME)
	@RequireCaptcha(action = "b")
	@interface CaptchaB {

	}

	@RestController
	static class Valid {

		@PostMapping("/signup")
		@RequireCaptcha(action = "signup", minScore = 0.5)
		String signup() {
			return "ok";
		}

		@PostMapping("/order")
		@RequireCaptcha(action = "order", provider = "google")
		String order() {
			return "ok";
		}

		@GetMapping("/report")
		@RequireCaptcha
		String report() {
			return "ok";
		}

		@GetMapping({ "/open", "/signup" })
		String open() {
			return "ok";
		}

	}

	@RestController
	static class EveryMethod {

		@RequestMapping("/any")
		@RequireCaptcha(action = "any")
		String any() {
			return "ok";
		}

	}

	@RestController
	static class Unprotected {

		@PostMapping("/plain")
		String plain() {
			return "ok";
		}

	}

	@RestController
	static class DefaultProvider {

		@PostMapping("/x")
		@RequireCaptcha(action = "x")
		String submit() {
			return "ok";
		}

	}

	@RestController
	static class UnknownProvider {

		@PostMapping("/x")
		@RequireCaptcha(provider = "nope")
		String submit() {
			return "ok";
		}

	}

	@RestController
	static class BadScore {

		@PostMapping("/x")
		@RequireCaptcha(minScore = 1.5)
		String submit() {
			return "ok";
		}

	}

	@RestController
	static class Ambiguous {

		@PostMapping("/x")
		@CaptchaA
		@CaptchaB
		String submit() {
			return "ok";
		}

	}

	abstract static class CrudController<T> {

		@PostMapping("/create")
		String create() {
			return "created";
		}

	}

	@RestController
	@RequestMapping("/orders")
	@RequireCaptcha(action = "order")
	static class OrderController extends CrudController<String> {

	}

	@RestController
	@RequestMapping("/comments")
	@RequireCaptcha(action = "comment", provider = "google", minScore = 0.7)
	static class CommentController extends CrudController<Integer> {

	}

	@RestController
	@RequestMapping("/tags")
	static class TagController extends CrudController<Long> {

	}

}
