package io.github.captchasecurity.provider;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.github.captchasecurity.ProviderExchanges;
import io.github.captchasecurity.TokenDigest;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.http.CaptchaHttpClient;
import io.github.captchasecurity.http.HttpResult;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The skeleton every {@code siteverify}-style provider shares (reCAPTCHA, hCaptcha,
 * Turnstile): the form POST (built with {@link SiteverifyAnswer#form}), the strict
 * reading of the JSON answer ({@link SiteverifyAnswer#parse}) and the table from error
 * codes to outcomes. A verifier on top of it adds only its own form fields and the facts
 * it reports. Logs name the provider and a digest of the token, never the token or the
 * secret.
 *
 * @since 0.1.0
 */
public final class SiteverifyClient {

	private static final Logger logger = LoggerFactory.getLogger(SiteverifyClient.class);

	private final String label;

	private final String name;

	private final URI verifyUrl;

	private final CaptchaHttpClient http;

	private final Set<String> configurationCodes;

	private final Set<String> expiredCodes;

	/**
	 * Create a client.
	 * @param label the provider's product name for logs ({@code "reCAPTCHA"})
	 * @param name the configured provider name
	 * @param verifyUrl the siteverify URL
	 * @param http the HTTP client
	 * @param configurationCodes error codes that mean our configuration is wrong (a bad
	 * secret): the provider is then unavailable, and an error is logged
	 * @param expiredCodes error codes that mean the token expired or was already spent
	 */
	public SiteverifyClient(String label, String name, URI verifyUrl, CaptchaHttpClient http,
			Set<String> configurationCodes, Set<String> expiredCodes) {
		this.label = Objects.requireNonNull(label, "label");
		this.name = Objects.requireNonNull(name, "name");
		this.verifyUrl = Objects.requireNonNull(verifyUrl, "verifyUrl");
		this.http = Objects.requireNonNull(http, "http");
		this.configurationCodes = Set.copyOf(configurationCodes);
		this.expiredCodes = Set.copyOf(expiredCodes);
	}

	/**
	 * Post the form once.
	 * @param form the form
	 * @param token the token, for the digest in logs
	 * @return the answer, or null if the provider could not be reached or gave no usable
	 * answer (logged)
	 */
	public @Nullable SiteverifyAnswer exchange(Map<String, String> form, String token) {
		return exchange(form, token, 1, List.of());
	}

	/**
	 * Post the form, again while the provider cannot be reached or answers one of the
	 * retry codes, up to the given number of attempts. An answer that is not a usable
	 * siteverify response is not retried.
	 * @param form the form, sent unchanged on every attempt
	 * @param token the token, for the digest in logs
	 * @param attempts the number of attempts, at least 1
	 * @param retryCodes error codes that mean a transient fault on the provider's side
	 * @return the answer, or null if no attempt gave a usable answer (logged)
	 */
	public @Nullable SiteverifyAnswer exchange(Map<String, String> form, String token, int attempts,
			List<String> retryCodes) {
		String[] retry = retryCodes.toArray(String[]::new);
		for (int attempt = 1; attempt <= attempts; attempt++) {
			String ofAttempt = (attempts > 1) ? " (attempt " + attempt + ")" : "";
			HttpResult result;
			try {
				result = this.http.postForm(this.verifyUrl, form, Map.of());
			}
			catch (IOException ex) {
				ProviderExchanges.failed(ex);
				logger.warn("{} provider '{}' could not be reached for token {}{}: {}", this.label, this.name,
						TokenDigest.shortHash(token), ofAttempt, ex.getMessage());
				continue;
			}
			if (!result.isSuccessful()) {
				ProviderExchanges.answered(result.status());
				logger.warn("{} provider '{}' answered HTTP {}", this.label, this.name, result.status());
				return null;
			}
			SiteverifyAnswer answer = SiteverifyAnswer.parse(result);
			if (answer == null) {
				logger.warn("{} provider '{}' answered something that is not a siteverify response", this.label,
						this.name);
				return null;
			}
			if (!answer.hasAny(retry)) {
				return answer;
			}
			logger.warn("{} provider '{}' reported {}{}", this.label, this.name, answer.errorCodes(), ofAttempt);
		}
		return null;
	}

	/**
	 * The outcome of an answer: passed on success, else from the error codes
	 * (configuration faults make the provider unavailable and are logged as errors,
	 * expired or spent tokens are expired, anything else invalid).
	 * @param answer the answer
	 * @return the outcome
	 */
	public VerificationOutcome outcomeOf(SiteverifyAnswer answer) {
		if (answer.success()) {
			return VerificationOutcome.PASSED;
		}
		if (answer.errorCodes().stream().anyMatch(this.configurationCodes::contains)) {
			logger.error("{} provider '{}' reports a configuration fault {}: check its secret and site key", this.label,
					this.name, answer.errorCodes());
			return VerificationOutcome.PROVIDER_UNAVAILABLE;
		}
		if (answer.errorCodes().stream().anyMatch(this.expiredCodes::contains)) {
			return VerificationOutcome.EXPIRED;
		}
		return VerificationOutcome.INVALID;
	}

	/**
	 * The siteverify URL.
	 * @return the URL
	 */
	public URI verifyUrl() {
		return this.verifyUrl;
	}

}
