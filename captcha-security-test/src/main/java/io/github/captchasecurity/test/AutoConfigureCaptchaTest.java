package io.github.captchasecurity.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.github.captchasecurity.autoconfigure.CaptchaAutoConfiguration;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Verifies every CAPTCHA token of a Spring test with the {@link CaptchaTestProvider}:
 * each provider of {@code captcha.providers} and each {@code CaptchaVerifier} bean keeps
 * its name, type and common properties, but its tokens are checked offline, without
 * secrets ({@code pass}, {@code pass:login:0.9}, {@code fail}, {@code expired},
 * {@code unavailable}). Routes, {@code @RequireCaptcha}, the Security configurer and the
 * engine's checks (replay, action, hostname, score, escalation, abuse control) stay real.
 * Works on {@code @SpringBootTest} and on slices such as {@code @WebMvcTest} (it imports
 * the CAPTCHA auto-configuration).
 * <p>
 * It refuses to work outside a test: the configuration it imports fails start-up unless
 * the Spring TestContext framework built the context for a test class carrying this
 * annotation (a {@code ContextCustomizer} of this module registers a marker that no
 * property or application code can provide). Put on an application's main class, start-up
 * fails.
 *
 * @since 0.1.0
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration({ CaptchaAutoConfiguration.class, CaptchaTestAutoConfiguration.class })
public @interface AutoConfigureCaptchaTest {

}
