package io.github.captchasecurity.test;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.github.captchasecurity.token.DefaultCaptchaTokenResolver;

import org.springframework.http.HttpHeaders;

/**
 * Tokens of the {@link CaptchaTestProvider} for clients other than MockMvc (such as
 * {@code RestTestClient}, {@code TestRestTemplate} or a form body written by hand): each
 * call returns a new token, so the replay check never refuses a test's second request.
 * <pre>{@code
 * client.post().uri("/contact").headers(CaptchaTestTokens.header("pass:contact")).exchange();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class CaptchaTestTokens {

	/** A token that passes every route. */
	public static final String PASS = "pass";

	/** A token the provider rejects: {@code captcha_invalid}. */
	public static final String FAIL = "fail";

	/** A token the provider reports expired: {@code captcha_expired}. */
	public static final String EXPIRED = "expired";

	/** A token the provider cannot check: {@code captcha_provider_unavailable}. */
	public static final String UNAVAILABLE = "unavailable";

	private static final AtomicLong counter = new AtomicLong();

	private CaptchaTestTokens() {
	}

	/**
	 * A new token with the given meaning: the meaning and a unique {@code #} suffix.
	 * @param meaning {@code pass[:action[:score[:hostname]]]}, {@code fail},
	 * {@code expired} or {@code unavailable}
	 * @return the token, never used before in this JVM
	 */
	public static String fresh(String meaning) {
		Objects.requireNonNull(meaning, "meaning");
		if (meaning.isBlank() || meaning.contains("#")) {
			throw new IllegalArgumentException(
					"meaning must be pass[:action[:score[:hostname]]], fail, expired or " + "unavailable, without '#'");
		}
		return meaning.trim() + "#" + counter.incrementAndGet();
	}

	/**
	 * A new token that passes every route.
	 * @return the token
	 */
	public static String fresh() {
		return fresh(PASS);
	}

	/**
	 * Sets a new passing token in the default header
	 * ({@value DefaultCaptchaTokenResolver#DEFAULT_HEADER}), for {@code RestTestClient}'s
	 * {@code headers(...)}.
	 * @return the header setter
	 */
	public static Consumer<HttpHeaders> header() {
		return header(PASS);
	}

	/**
	 * Sets a new token of the given meaning in the default header
	 * ({@value DefaultCaptchaTokenResolver#DEFAULT_HEADER}).
	 * @param meaning the token's meaning, see {@link #fresh(String)}
	 * @return the header setter; each use sets a new token
	 */
	public static Consumer<HttpHeaders> header(String meaning) {
		return header(DefaultCaptchaTokenResolver.DEFAULT_HEADER, meaning);
	}

	/**
	 * Sets a new token of the given meaning in a header, for applications that changed
	 * {@code captcha.token.header}.
	 * @param headerName the header
	 * @param meaning the token's meaning, see {@link #fresh(String)}
	 * @return the header setter; each use sets a new token
	 */
	public static Consumer<HttpHeaders> header(String headerName, String meaning) {
		Objects.requireNonNull(headerName, "headerName");
		fresh(meaning);
		return (headers) -> headers.set(headerName, fresh(meaning));
	}

}
