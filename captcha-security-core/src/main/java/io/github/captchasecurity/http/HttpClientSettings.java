package io.github.captchasecurity.http;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the provider HTTP client. Immutable.
 *
 * @param connectTimeout the longest wait for a TCP (and TLS) connection
 * @param responseTimeout the longest wait for the whole answer once connected; the
 * exchange is cancelled after {@code connectTimeout + responseTimeout} at the latest
 * @param maxConnections the size of the connection pool (total and per provider host)
 * @since 0.1.0
 */
public record HttpClientSettings(Duration connectTimeout, Duration responseTimeout, int maxConnections) {

	/**
	 * Create settings, checking each argument.
	 * @param connectTimeout the connect timeout
	 * @param responseTimeout the response timeout
	 * @param maxConnections the pool size
	 * @throws IllegalArgumentException if a timeout is not positive or the pool size is
	 * less than 1
	 */
	public HttpClientSettings {
		Objects.requireNonNull(connectTimeout, "connectTimeout");
		Objects.requireNonNull(responseTimeout, "responseTimeout");
		if (connectTimeout.isNegative() || connectTimeout.isZero()) {
			throw new IllegalArgumentException("connectTimeout must be positive");
		}
		if (responseTimeout.isNegative() || responseTimeout.isZero()) {
			throw new IllegalArgumentException("responseTimeout must be positive");
		}
		if (maxConnections < 1) {
			throw new IllegalArgumentException("maxConnections must be at least 1");
		}
	}

	/**
	 * The defaults: 1 s to connect, 3 s for the answer, 200 connections.
	 * @return the default settings
	 */
	public static HttpClientSettings ofDefaults() {
		return new HttpClientSettings(Duration.ofSeconds(1), Duration.ofSeconds(3), 200);
	}

}
