package io.github.captchasecurity;

import java.io.IOException;

import org.jspecify.annotations.Nullable;

/**
 * Where verifiers of remote providers say why an exchange gave no usable answer, so that
 * {@link ProviderCallListener}s can tell a timeout from a 5xx from a connection error.
 * The report is kept for the verification running on the current thread and is discarded
 * when none runs; a verifier that reports nothing has its unavailable answers counted as
 * {@link ProviderCallStatus#BAD_ANSWER}.
 *
 * @since 0.1.0
 */
public final class ProviderExchanges {

	private static final ThreadLocal<ProviderCallStatus @Nullable []> current = new ThreadLocal<>();

	private ProviderExchanges() {
	}

	/**
	 * Report an exchange that failed with an exception.
	 * @param failure what the HTTP client threw
	 */
	public static void failed(IOException failure) {
		report(ProviderCallStatus.of(failure));
	}

	/**
	 * Report an exchange answered with a status that is not a usable answer (not 2xx, or
	 * an error status a provider uses for configuration faults).
	 * @param status the HTTP status
	 */
	public static void answered(int status) {
		report(ProviderCallStatus.ofHttpStatus(status));
	}

	private static void report(ProviderCallStatus status) {
		ProviderCallStatus[] slot = current.get();
		if (slot != null) {
			slot[0] = status;
		}
	}

	// Start collecting reports on this thread; returns the previous slot.
	static ProviderCallStatus @Nullable [] begin() {
		ProviderCallStatus[] previous = current.get();
		current.set(new ProviderCallStatus[1]);
		return previous;
	}

	// The last report since #begin(), restoring the previous slot.
	static @Nullable ProviderCallStatus end(ProviderCallStatus @Nullable [] previous) {
		ProviderCallStatus[] slot = current.get();
		if (previous != null) {
			current.set(previous);
		}
		else {
			current.remove();
		}
		return (slot != null) ? slot[0] : null;
	}

}
