package io.github.captchasecurity.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Requires a verified CAPTCHA token on every request a Spring MVC handler method handles. On a class it
 * applies to every handler method of the class; an annotation on the method wins over the class's. It may be
 * used as a meta-annotation. The check runs in the CAPTCHA servlet filter, before Spring Security's filter
 * chain and long before the controller, with the same checks and rejections as configured routes.
 * <pre class="code">
 * &#64;PostMapping("/api/signup")
 * &#64;RequireCaptcha(action = "signup", minScore = 0.5)
 * Map&lt;String, String&gt; signup(&#64;RequestBody SignupForm form) { ... }
 * </pre>
 *
 * @since 0.1.0
 */
@Target({ ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RequireCaptcha {

	/**
	 * The action the token must carry; empty (the default) for no action check.
	 * @return the action
	 */
	String action() default "";

	/**
	 * The minimum score from 0.0 to 1.0; negative (the default) for the provider's own setting.
	 * @return the minimum score
	 */
	double minScore() default -1;

	/**
	 * The name of the provider (an entry under {@code captcha.providers}); empty (the default) for
	 * {@code captcha.default-provider}.
	 * @return the provider name
	 */
	String provider() default "";

	/**
	 * The built-in challenge types ({@code image}, {@code grid}, {@code math}, {@code pow}) whose tokens the handler
	 * accepts; a token of another type is refused with {@code captcha_challenge_type_mismatch}. Empty (the default)
	 * for every type {@code captcha.builtin.challenge-types} allows. Needs a provider of type builtin.
	 * @return the challenge types
	 */
	String[] challengeTypes() default {};

}
