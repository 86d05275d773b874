package io.github.captchasecurity;

/**
 * Wraps each verification of the engine from start to decision, for timers and traces
 * (the starter opens a Micrometer {@code captcha.verification} observation). Unlike a
 * {@link VerificationListener}, which is told afterwards, an observer is started before
 * the checks run and stopped with their result, so it sees the whole check and work done
 * inside it (provider calls) happens within it. Observers must be fast and must not
 * throw.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface VerificationObserver {

	/**
	 * Called when a verification starts, once its provider is known.
	 * @param rule the route's rule
	 * @param provider the name of the provider that will verify the token
	 * @param context the request
	 * @return the scope to stop when the verification ends
	 */
	Scope start(CaptchaRule rule, String provider, VerificationContext context);

	/**
	 * One running verification.
	 *
	 * @since 0.1.0
	 */
	interface Scope {

		/**
		 * Called with the decision, before the {@link VerificationListener listeners} are
		 * told.
		 * @param result the result
		 */
		void stop(VerificationResult result);

		/**
		 * Called instead of {@link #stop} when the verification threw.
		 * @param error what was thrown
		 */
		default void error(RuntimeException error) {
		}

	}

}
