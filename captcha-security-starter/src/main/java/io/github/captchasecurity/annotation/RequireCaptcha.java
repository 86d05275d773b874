package io.github.captchasecurity.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Requires a verified CAPTCHA token on every request a Spring MVC handler method handles.
 * On a class it applies to every handler method of the class; an annotation on the method
 * wins over the class's. It may be used as a meta-annotation. The check runs in the
 * CAPTCHA servlet filter, before Spring Security's filter chain and long before the
 * controller, with the same checks and rejections as configured routes, and the
 * annotation sets what a route sets under {@code captcha.routes[]} (action, min score,
 * provider, challenge types, fail-open, escalation, server challenge), validated at
 * start-up the same way. <pre class="code">
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
	 * The minimum score from 0.0 to 1.0; negative (the default) for the provider's own
	 * setting.
	 * @return the minimum score
	 */
	double minScore() default -1;

	/**
	 * The name of the provider (an entry under {@code captcha.providers}); empty (the
	 * default) for {@code captcha.default-provider}.
	 * @return the provider name
	 */
	String provider() default "";

	/**
	 * The built-in challenge types ({@code image}, {@code grid}, {@code math},
	 * {@code pow}) whose tokens the handler accepts; a token of another type is refused
	 * with {@code captcha_challenge_type_mismatch}. Empty (the default) for every type
	 * {@code captcha.builtin.challenge-types} allows. Needs a provider of type builtin.
	 * @return the challenge types
	 */
	String[] challengeTypes() default {};

	/**
	 * Whether requests pass when the provider cannot be asked (timeout, outage), like
	 * {@code captcha.routes[].fail-open}. Default: fail closed.
	 * @return whether to fail open
	 */
	boolean failOpen() default false;

	/**
	 * The upper bound of the score band escalated to {@link #escalateTo()}: tokens
	 * scoring at least {@link #minScore()} but below it must solve the stronger
	 * provider's challenge, like {@code captcha.routes[].escalate-below}. Negative (the
	 * default) for no score band. Needs {@link #escalateTo()}.
	 * @return the score band's upper bound, from 0.0 to 1.0
	 */
	double escalateBelow() default -1;

	/**
	 * The stronger provider (an entry under {@code captcha.providers}) that escalations
	 * ask for: for tokens in the {@link #escalateBelow()} band and for clients past
	 * {@code captcha.abuse.step-up-after}, like {@code captcha.routes[].escalate-to}.
	 * Empty (the default) for no escalation.
	 * @return the provider name
	 */
	String escalateTo() default "";

	/**
	 * Require a challenge the server issued for this client IP and the {@link #action()},
	 * like {@code captcha.routes[].server-challenge}. Needs providers of type builtin or
	 * captchala. Default: off.
	 * @return whether a server-issued challenge is required
	 */
	boolean serverChallenge() default false;

	/**
	 * The built-in challenge types escalations ask for, preferred first; the retry must
	 * be of one of them, like {@code captcha.routes[].escalate-challenge-types}. Empty
	 * (the default) for the strongest type {@code captcha.builtin.challenge-types}
	 * allows. Needs {@link #escalateTo()} naming a provider of type builtin other than
	 * the handler's own.
	 * @return the challenge types
	 */
	String[] escalateChallengeTypes() default {};

}
