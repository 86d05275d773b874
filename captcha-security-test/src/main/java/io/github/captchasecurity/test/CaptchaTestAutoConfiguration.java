package io.github.captchasecurity.test;

import io.github.captchasecurity.abuse.FailureCounter;
import io.github.captchasecurity.autoconfigure.CaptchaAutoConfiguration;
import io.github.captchasecurity.autoconfigure.CaptchaVerifierOverride;
import io.github.captchasecurity.replay.ReplayCache;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The configuration {@link AutoConfigureCaptchaTest @AutoConfigureCaptchaTest} imports: a
 * {@link CaptchaVerifierOverride} that hands every provider a
 * {@link CaptchaTestProvider}, and an in-memory replay cache and failure counter emptied
 * before each test method (unless the test context defines its own). Not listed in
 * {@code AutoConfiguration.imports}: only the annotation imports it, and it fails
 * start-up unless the Spring TestContext framework built the context for an annotated
 * test class.
 *
 * @since 0.1.0
 */
@AutoConfiguration(before = CaptchaAutoConfiguration.class,
		beforeName = "io.github.captchasecurity.store.redis.CaptchaRedisStoreAutoConfiguration")
public final class CaptchaTestAutoConfiguration {

	@Bean
	CaptchaVerifierOverride captchaTestVerifierOverride(ObjectProvider<CaptchaTestContextMarker> marker) {
		CaptchaTestContextMarker.check(marker.getIfAvailable());
		CaptchaTestProvider provider = new CaptchaTestProvider();
		return (name, type) -> provider;
	}

	@Bean
	CaptchaTestState captchaTestState(ObjectProvider<CaptchaTestContextMarker> marker) {
		CaptchaTestContextMarker.check(marker.getIfAvailable());
		return new CaptchaTestState();
	}

	@Bean
	@ConditionalOnMissingBean
	ReplayCache captchaTestReplayCache(CaptchaTestState state) {
		return state.replayCache();
	}

	@Bean
	@ConditionalOnMissingBean
	FailureCounter captchaTestFailureCounter(CaptchaTestState state) {
		return state.failureCounter();
	}

}
