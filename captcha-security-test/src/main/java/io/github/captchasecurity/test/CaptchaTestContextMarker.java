package io.github.captchasecurity.test;

import org.jspecify.annotations.Nullable;

/**
 * Proof that the Spring TestContext framework built the context for a test class with
 * {@link AutoConfigureCaptchaTest}: registered only by
 * {@link CaptchaTestContextCustomizerFactory}, a TestContext extension point that an
 * application's own start-up never runs. Package-private, so neither properties nor
 * application code can provide one.
 */
final class CaptchaTestContextMarker {

	static final String BEAN_NAME = "io.github.captchasecurity.test.captchaTestContextMarker";

	private final Class<?> testClass;

	CaptchaTestContextMarker(Class<?> testClass) {
		this.testClass = testClass;
	}

	Class<?> testClass() {
		return this.testClass;
	}

	/**
	 * Fail unless the marker is there.
	 * @param marker the marker, or null
	 * @throws IllegalStateException without the marker
	 */
	static void check(@Nullable CaptchaTestContextMarker marker) {
		if (marker == null) {
			throw new IllegalStateException("@AutoConfigureCaptchaTest (captcha-security-test) is active in an "
					+ "application context that the Spring TestContext framework did not build for a test class "
					+ "annotated with it: CAPTCHA tokens would not be verified. It works only on test classes "
					+ "(@SpringBootTest, @WebMvcTest, ...); remove it from application code and declare "
					+ "captcha-security-test with <scope>test</scope>.");
		}
	}

}
