package io.github.captchasecurity.test;

import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * Empties the {@link CaptchaTestState} of a context built with
 * {@link AutoConfigureCaptchaTest @AutoConfigureCaptchaTest} before each test method.
 * Listed in this module's {@code META-INF/spring.factories}; does nothing for other
 * contexts.
 */
final class CaptchaTestExecutionListener implements TestExecutionListener, Ordered {

	@Override
	public int getOrder() {
		return 10_000;
	}

	@Override
	public void beforeTestMethod(TestContext testContext) {
		if (testContext.hasApplicationContext()) {
			testContext.getApplicationContext()
				.getBeanProvider(CaptchaTestState.class)
				.ifAvailable(CaptchaTestState::reset);
		}
	}

}
