package io.github.captchasecurity.provider.builtin.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationRequest;
import io.github.captchasecurity.provider.builtin.BuiltinCaptchaService;
import io.github.captchasecurity.provider.builtin.BuiltinSettings;
import io.github.captchasecurity.provider.builtin.CaffeineChallengeStore;
import io.github.captchasecurity.provider.builtin.CaffeineRateLimiter;
import io.github.captchasecurity.provider.builtin.MutableClock;
import io.github.captchasecurity.provider.builtin.PowComplexity;
import io.github.captchasecurity.replay.CaffeineReplayCache;
import io.github.captchasecurity.servlet.CapturingResponse;
import io.github.captchasecurity.servlet.TestRequest;
import jakarta.servlet.FilterChain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for the ALTCHA side of {@link BuiltinCaptchaEndpointFilter}: {@code GET
 * generate} as the official widget fetches it, v1 and v2 challenges, per site key and
 * action complexity, and CORS.
 */
class BuiltinAltchaEndpointTests {

	private static final byte[] SIGNING_KEY = "an HS256 signing key of 256 bits".getBytes(StandardCharsets.UTF_8);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T12:00:00Z"));

	private final BuiltinCaptchaService service = new BuiltinCaptchaService(
			BuiltinSettings.builder(SIGNING_KEY)
				.siteKeys(List.of("demo-site-key"))
				.powMaxNumber(1000)
				.powComplexity(List.of(new PowComplexity(null, "login", 5000, 1)))
				.build(),
			new CaffeineChallengeStore(1000), new CaffeineRateLimiter(1000, this.clock), new CaffeineReplayCache(1000),
			this.clock);

	private final BuiltinCaptchaEndpointFilter filter = new BuiltinCaptchaEndpointFilter(this.service, "/captcha");

	private final FilterChain chain = (request, response) -> {
		throw new AssertionError("the chain must not run");
	};

	@Test
	void getGenerateThenAltchaV1MembersAtTheTopLevel() throws Exception {
		CapturingResponse response = get("/captcha/generate", "site_key=demo-site-key&type=pow&action=contact");

		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
		JsonNode json = json(response);
		assertThat(json.propertyNames()).contains("algorithm", "challenge", "maxnumber", "salt", "signature",
				"captcha_id");
		assertThat(json.get("algorithm").stringValue()).isEqualTo("SHA-256");
		assertThat(json.get("maxnumber").intValue()).isEqualTo(1000);
		assertThat(json.get("salt").stringValue()).contains("?expires=").contains("&act=contact&").endsWith("&");
	}

	@Test
	void getGenerateWithVersion2ThenParametersAndSignatureAndNoV1Challenge() throws Exception {
		JsonNode json = json(get("/captcha/generate", "site_key=demo-site-key&type=pow&action=contact&version=2"));

		// the widget takes any object with a "challenge" member for v1
		assertThat(json.has("challenge")).isFalse();
		assertThat(json.get("signature").stringValue()).matches("[0-9a-f]{64}");
		JsonNode parameters = json.get("parameters");
		assertThat(parameters.propertyNames()).containsExactly("algorithm", "cost", "data", "expiresAt", "keyLength",
				"keyPrefix", "nonce", "salt");
		assertThat(parameters.get("algorithm").stringValue()).isEqualTo("SHA-256");
		assertThat(parameters.get("keyPrefix").stringValue()).matches("[0-9a-f]{32}");
		assertThat(parameters.get("data").get("act").stringValue()).isEqualTo("contact");
		assertThat(parameters.get("data").has("ip")).isTrue();
		assertThat(parameters.get("data").get("ip").stringValue()).doesNotContain("127.0.0.1");
	}

	@Test
	void v2PayloadSolvedLikeTheWidgetPassesOnceThenReplayed() throws Exception {
		JsonNode challenge = json(get("/captcha/generate", "site_key=demo-site-key&type=pow&version=2"));
		String payload = solveV2(challenge);

		assertThat(verify(payload)).isEqualTo(VerificationOutcome.PASSED);
		assertThat(verify(payload)).isEqualTo(VerificationOutcome.REPLAYED);
	}

	@Test
	void v2PayloadWithAnotherCounterOfTheSameChallengeIsReplayedOnceUsed() throws Exception {
		JsonNode challenge = json(get("/captcha/generate", "site_key=demo-site-key&type=pow&version=2"));
		String payload = solveV2(challenge);
		assertThat(verify(payload)).isEqualTo(VerificationOutcome.PASSED);
		// same challenge, the payload re-encoded with a "took"-like extra member: one
		// challenge, one use
		JsonNode decoded = JSON.readTree(Base64.getDecoder().decode(payload));
		String again = Base64.getEncoder()
			.encodeToString(
					("{\"solution\":" + decoded.get("solution") + ",\"challenge\":" + decoded.get("challenge") + "}")
						.getBytes(StandardCharsets.UTF_8));

		assertThat(verify(again)).isEqualTo(VerificationOutcome.REPLAYED);
	}

	@Test
	void complexityOfTheActionAppliesToItsChallenges() throws Exception {
		assertThat(json(get("/captcha/generate", "site_key=demo-site-key&type=pow&action=LOGIN")).get("maxnumber")
			.intValue()).isEqualTo(5000);
		assertThat(json(get("/captcha/generate", "site_key=demo-site-key&type=pow&action=contact")).get("maxnumber")
			.intValue()).isEqualTo(1000);
	}

	@ParameterizedTest
	@ValueSource(strings = { "version=3", "version=two", "version=1&version=2", "size=x" })
	void getGenerateWithBadParameterThen400(String query) throws Exception {
		CapturingResponse response = get("/captcha/generate", "site_key=demo-site-key&type=pow&" + query);

		assertThat(response.getStatus()).isEqualTo(400);
		assertThat(json(response).get("code").stringValue()).isEqualTo("captcha_bad_request");
	}

	@Test
	void getGenerateWithUnknownSiteKeyThen403() throws Exception {
		assertThat(get("/captcha/generate", "site_key=nope&type=pow").getStatus()).isEqualTo(403);
	}

	// ---- CORS

	@Test
	void byDefaultSameOriginOnlyNoCorsHeadersAndPreflightRefused() throws Exception {
		TestRequest request = new TestRequest("GET", "/captcha/generate");
		request.setQueryString("site_key=demo-site-key&type=pow");
		request.setParameter("site_key", "demo-site-key");
		request.setParameter("type", "pow");
		request.addHeader("Origin", "https://evil.example");
		CapturingResponse response = new CapturingResponse();
		this.filter.doFilter(request, response, this.chain);
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getHeader("Access-Control-Allow-Origin")).isNull();

		CapturingResponse preflight = preflight("https://evil.example", "POST", "content-type");

		assertThat(preflight.getStatus()).isEqualTo(403);
		assertThat(json(preflight).get("code").stringValue()).isEqualTo("captcha_cors_rejected");
		assertThat(preflight.getHeader("Access-Control-Allow-Origin")).isNull();
	}

	@Test
	void allowedOriginGetsPreflightAndHeadersNeverCredentials() throws Exception {
		this.filter.setAllowedOrigins(List.of("https://shop.example"));

		CapturingResponse preflight = preflight("https://shop.example", "POST", "Content-Type");

		assertThat(preflight.getStatus()).isEqualTo(204);
		assertThat(preflight.getHeader("Access-Control-Allow-Origin")).isEqualTo("https://shop.example");
		assertThat(preflight.getHeader("Access-Control-Allow-Methods")).isEqualTo("GET, POST");
		assertThat(preflight.getHeader("Access-Control-Allow-Headers")).isEqualTo("Content-Type");
		assertThat(preflight.getHeader("Access-Control-Allow-Credentials")).isNull();
		assertThat(preflight.getHeaders("Vary")).contains("Origin");

		TestRequest request = new TestRequest("GET", "/captcha/generate");
		request.setParameter("site_key", "demo-site-key");
		request.setParameter("type", "pow");
		request.addHeader("Origin", "https://shop.example");
		CapturingResponse response = new CapturingResponse();
		this.filter.doFilter(request, response, this.chain);
		assertThat(response.getHeader("Access-Control-Allow-Origin")).isEqualTo("https://shop.example");
		assertThat(response.getHeader("Access-Control-Allow-Credentials")).isNull();

		assertThat(preflight("https://other.example", "GET", null).getStatus()).isEqualTo(403);
		assertThat(preflight("https://shop.example", "DELETE", null).getStatus()).isEqualTo(403);
		assertThat(preflight("https://shop.example", "POST", "authorization").getStatus()).isEqualTo(403);
	}

	@Test
	void wildcardOriginAnswersStarWithoutCredentials() throws Exception {
		this.filter.setAllowedOrigins(List.of("*"));

		CapturingResponse preflight = preflight("https://any.example", "GET", null);

		assertThat(preflight.getStatus()).isEqualTo(204);
		assertThat(preflight.getHeader("Access-Control-Allow-Origin")).isEqualTo("*");
		assertThat(preflight.getHeader("Access-Control-Allow-Credentials")).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://shop.example/", "https://shop.example/path", "shop.example", "null",
			"ftp://shop.example", "", "https://*.example" })
	void setAllowedOriginsRefusesWhatIsNotAnOrigin(String origin) {
		assertThatIllegalArgumentException().isThrownBy(() -> this.filter.setAllowedOrigins(List.of(origin)));
	}

	@Test
	void setAllowedOriginsRefusesWildcardWithOthers() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.filter.setAllowedOrigins(List.of("*", "https://shop.example")));
	}

	private CapturingResponse preflight(String origin, String method, String headers) throws Exception {
		TestRequest request = new TestRequest("OPTIONS", "/captcha/generate");
		request.addHeader("Origin", origin);
		request.addHeader("Access-Control-Request-Method", method);
		if (headers != null) {
			request.addHeader("Access-Control-Request-Headers", headers);
		}
		CapturingResponse response = new CapturingResponse();
		this.filter.doFilter(request, response, this.chain);
		return response;
	}

	private CapturingResponse get(String path, String query) throws Exception {
		TestRequest request = new TestRequest("GET", path);
		request.setQueryString(query);
		for (String pair : query.split("&")) {
			String[] parts = pair.split("=", 2);
			request.addParameter(parts[0], parts[1]);
		}
		CapturingResponse response = new CapturingResponse();
		this.filter.doFilter(request, response, this.chain);
		return response;
	}

	private VerificationOutcome verify(String payload) {
		return this.service
			.verify("local", new VerificationRequest(payload, "127.0.0.1", null, Set.of(), null, Duration.ofMinutes(5)))
			.outcome();
	}

	private static JsonNode json(CapturingResponse response) {
		return JSON.readTree(response.getContentAsByteArray());
	}

	/**
	 * Solve a v2 SHA-256 (cost 1) challenge as the widget's worker does: SHA-256 over
	 * {@code salt || nonce || uint32(counter)} until the key starts with the prefix.
	 */
	private static String solveV2(JsonNode challenge) throws Exception {
		JsonNode parameters = challenge.get("parameters");
		HexFormat hex = HexFormat.of();
		byte[] salt = hex.parseHex(parameters.get("salt").stringValue());
		byte[] nonce = hex.parseHex(parameters.get("nonce").stringValue());
		String prefix = parameters.get("keyPrefix").stringValue();
		MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
		for (long counter = 0; counter < 1_000_000; counter++) {
			sha256.update(salt);
			sha256.update(nonce);
			byte[] key = sha256.digest(new byte[] { (byte) (counter >>> 24), (byte) (counter >>> 16),
					(byte) (counter >>> 8), (byte) counter });
			String keyHex = hex.formatHex(key);
			if (keyHex.startsWith(prefix)) {
				String payload = "{\"challenge\":{\"parameters\":" + parameters + ",\"signature\":\""
						+ challenge.get("signature").stringValue() + "\"},\"solution\":{\"counter\":" + counter
						+ ",\"derivedKey\":\"" + keyHex + "\",\"time\":12.5}}";
				return Base64.getEncoder().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
			}
		}
		throw new IllegalStateException("no solution");
	}

}
