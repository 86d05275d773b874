package io.github.captchasecurity.provider.enterprise;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.github.captchasecurity.CaptchaVerifier;
import io.github.captchasecurity.ProviderCapabilities;
import io.github.captchasecurity.ProviderExchanges;
import io.github.captchasecurity.TokenDigest;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationRequest;
import io.github.captchasecurity.VerificationResult;
import io.github.captchasecurity.http.CaptchaHttpClient;
import io.github.captchasecurity.http.HttpResult;
import io.github.captchasecurity.provider.ProviderJson;
import io.github.captchasecurity.provider.UnusableAnswerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Verifies reCAPTCHA Enterprise tokens by creating an assessment: a JSON POST of
 * {@code {"event": {"token", "siteKey", "expectedAction", "userIpAddress", "userAgent"}}}
 * to {@code projects/{project}/assessments}, authenticated with the API key in the
 * {@code X-Goog-Api-Key} header (never in the URL). The verdict is
 * {@code tokenProperties.valid}; the facts are {@code tokenProperties.action},
 * {@code hostname}, {@code createTime} and {@code riskAnalysis.score}. Missing fields
 * default as proto3 JSON omits them: {@code valid} false, {@code score} 0.0.
 * <p>
 * {@code invalidReason}: {@code EXPIRED} and {@code DUPE} map to
 * {@link VerificationOutcome#EXPIRED}, every other reason (including
 * {@code BROWSER_ERROR}, which is easy to fake) to {@link VerificationOutcome#INVALID}. A
 * non-2xx status or an unreadable body is
 * {@link VerificationOutcome#PROVIDER_UNAVAILABLE}; 400, 401 and 403 are logged as
 * configuration errors. So is a {@code valid} assessment that cannot be believed: a
 * duplicated key, a score outside 0.0..1.0, an unreadable {@code createTime}, or an
 * {@code invalidReason} other than {@code INVALID_REASON_UNSPECIFIED}.
 *
 * @since 0.1.0
 */
public final class RecaptchaEnterpriseVerifier implements CaptchaVerifier {

	/** The assessments endpoint; {@code {project}} is replaced with the project id. */
	public static final String DEFAULT_VERIFY_URL = "https://recaptchaenterprise.googleapis.com/v1/projects/{project}/assessments";

	/** Token lifetime (as for reCAPTCHA v3; not stated for Enterprise). */
	public static final Duration TOKEN_LIFETIME = Duration.ofMinutes(2);

	/** The form field the Enterprise web widget posts. */
	public static final String FORM_FIELD = "g-recaptcha-response";

	/**
	 * What type {@code recaptcha-enterprise} is and supports: scored, no token-length
	 * limit of its own.
	 * @since 0.1.0
	 */
	public static final ProviderCapabilities CAPABILITIES = ProviderCapabilities.builder("recaptcha-enterprise")
		.formField(FORM_FIELD)
		.tokenLifetime(TOKEN_LIFETIME)
		.scoring(ProviderCapabilities.Scoring.SCORED)
		.build();

	private static final Logger logger = LoggerFactory.getLogger(RecaptchaEnterpriseVerifier.class);

	private final String name;

	private final URI assessmentsUrl;

	private final String siteKey;

	private final Map<String, String> headers;

	private final CaptchaHttpClient http;

	/**
	 * Create a verifier.
	 * @param name the provider name
	 * @param assessmentsUrl the assessments URL of the project
	 * @param apiKey the API key
	 * @param siteKey the site key the tokens are for
	 * @param http the HTTP client
	 */
	public RecaptchaEnterpriseVerifier(String name, URI assessmentsUrl, String apiKey, String siteKey,
			CaptchaHttpClient http) {
		this.name = Objects.requireNonNull(name, "name");
		this.assessmentsUrl = Objects.requireNonNull(assessmentsUrl, "assessmentsUrl");
		this.siteKey = Objects.requireNonNull(siteKey, "siteKey");
		Objects.requireNonNull(apiKey, "apiKey");
		if (apiKey.isBlank() || siteKey.isBlank()) {
			throw new IllegalArgumentException("apiKey and siteKey cannot be blank");
		}
		this.headers = Map.of("X-Goog-Api-Key", apiKey);
		this.http = Objects.requireNonNull(http, "http");
	}

	/**
	 * Return the assessments URL of a project.
	 * @param template the URL with a {@code {project}} placeholder
	 * @param projectId the project id
	 * @return the URL
	 */
	public static URI assessmentsUrl(String template, String projectId) {
		return URI.create(template.replace("{project}", URLEncoder.encode(projectId, StandardCharsets.UTF_8)));
	}

	@Override
	public VerificationResult verify(VerificationRequest request) {
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("token", request.token());
		event.put("siteKey", this.siteKey);
		if (request.expectedAction() != null) {
			event.put("expectedAction", request.expectedAction());
		}
		if (request.clientIp() != null) {
			event.put("userIpAddress", request.clientIp());
		}
		if (request.userAgent() != null) {
			event.put("userAgent", request.userAgent());
		}
		HttpResult result;
		try {
			result = this.http.postJson(this.assessmentsUrl, ProviderJson.write(Map.of("event", event)), this.headers);
		}
		catch (IOException ex) {
			ProviderExchanges.failed(ex);
			logger.warn("reCAPTCHA Enterprise provider '{}' could not be reached for token {}: {}", this.name,
					TokenDigest.shortHash(request.token()), ex.getMessage());
			return unavailable();
		}
		if (!result.isSuccessful()) {
			ProviderExchanges.answered(result.status());
			if (result.status() == 400 || result.status() == 401 || result.status() == 403) {
				logger.error("reCAPTCHA Enterprise provider '{}' refused the assessment (HTTP {}): check its api-key, "
						+ "project-id and site-key", this.name, result.status());
			}
			else {
				logger.warn("reCAPTCHA Enterprise provider '{}' answered HTTP {}", this.name, result.status());
			}
			return unavailable();
		}
		JsonNode json = ProviderJson.parseObject(result.body());
		if (json == null) {
			logger.warn("reCAPTCHA Enterprise provider '{}' answered something that is not an assessment", this.name);
			return unavailable();
		}
		JsonNode token = object(json, "tokenProperties");
		JsonNode risk = object(json, "riskAnalysis");
		boolean valid = Boolean.TRUE.equals(ProviderJson.bool(token, "valid"));
		String reason = ProviderJson.string(token, "invalidReason");
		List<String> reasons = (reason != null) ? List.of(reason) : List.of();
		Double score;
		Instant created;
		if (valid) {
			try {
				ProviderJson.requireNoErrors(true, "INVALID_REASON_UNSPECIFIED".equals(reason) ? List.of() : reasons);
				score = ProviderJson.score(risk, "score");
				created = ProviderJson.timestamp(token, "createTime");
			}
			catch (UnusableAnswerException ex) {
				logger.warn("reCAPTCHA Enterprise provider '{}' answered an unusable assessment: {}", this.name,
						ex.getMessage());
				return unavailable();
			}
		}
		else {
			score = ProviderJson.number(risk, "score");
			created = ProviderJson.timestamp(ProviderJson.string(token, "createTime"));
		}
		double normalized = (score != null) ? score : 0.0;
		VerificationOutcome outcome = valid ? VerificationOutcome.PASSED
				: ("EXPIRED".equals(reason) || "DUPE".equals(reason)) ? VerificationOutcome.EXPIRED
						: VerificationOutcome.INVALID;
		return new VerificationResult(outcome, this.name, normalized, ProviderJson.string(token, "action"),
				ProviderJson.string(token, "hostname"), created, reasons, score);
	}

	private static JsonNode object(JsonNode json, String field) {
		JsonNode value = json.get(field);
		return (value != null && value.isObject()) ? value : ProviderJson.parseObject("{}".getBytes());
	}

	private VerificationResult unavailable() {
		return VerificationResult.of(VerificationOutcome.PROVIDER_UNAVAILABLE, this.name);
	}

	@Override
	public String toString() {
		return "RecaptchaEnterpriseVerifier[name=" + this.name + ", assessmentsUrl=" + this.assessmentsUrl + "]";
	}

}
