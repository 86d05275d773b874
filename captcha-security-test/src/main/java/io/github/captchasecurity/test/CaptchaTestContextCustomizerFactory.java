package io.github.captchasecurity.test;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Registers the {@link CaptchaTestContextMarker} in contexts the Spring TestContext
 * framework builds for test classes annotated with
 * {@link AutoConfigureCaptchaTest @AutoConfigureCaptchaTest} (on the class, a superclass,
 * an enclosing class or a meta-annotation). Listed in this module's
 * {@code META-INF/spring.factories}.
 */
final class CaptchaTestContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		if (!TestContextAnnotationUtils.hasAnnotation(testClass, AutoConfigureCaptchaTest.class)) {
			return null;
		}
		return new MarkerCustomizer();
	}

	/** Adds the marker; all instances are equal, so contexts stay cached. */
	private static final class MarkerCustomizer implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			context.getBeanFactory()
				.registerSingleton(CaptchaTestContextMarker.BEAN_NAME,
						new CaptchaTestContextMarker(config.getTestClass()));
		}

		@Override
		public boolean equals(@Nullable Object other) {
			return other instanceof MarkerCustomizer;
		}

		@Override
		public int hashCode() {
			return MarkerCustomizer.class.hashCode();
		}

	}

}
