package io.github.captchasecurity.provider.builtin.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jwt.SignedJWT;
import io.github.captchasecurity.VerificationOutcome;
import io.github.captchasecurity.VerificationRequest;
import io.github.captchasecurity.provider.builtin.BuiltinCaptchaService;
import io.github.captchasecurity.provider.builtin.BuiltinSettings;
import io.github.captchasecurity.provider.builtin.CaffeineChallengeStore;
import io.github.captchasecurity.provider.builtin.CaffeineRateLimiter;
import io.github.captchasecurity.provider.builtin.MutableClock;
import io.github.captchasecurity.provider.builtin.RecordingChallengeStore;
import io.github.captchasecurity.replay.CaffeineReplayCache;
import io.github.captchasecurity.servlet.CapturingResponse;
import io.github.captchasecurity.servlet.TestRequest;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link BuiltinCaptchaEndpointFilter}: the generate/validate JSON API and the
 * widget, over mock servlet objects and a real {@link BuiltinCaptchaService}.
 */
class BuiltinCaptchaEndpointFilterTests {

	private static final Instant START = Instant.parse("2026-01-01T12:00:00Z");

	private static final byte[] SIGNING_KEY = "an HS256 signing key of 256 bits".getBytes(StandardCharsets.UTF_8);

	private static final String SITE_KEY = "demo-site-key";

	private static final Pattern MATH = Pattern.compile("What is (\\d+) ([+\\-×]) (\\d+)\\?");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Set<Integer> CLIENT_ERROR_OR_OK = Set.of(200, 400, 403, 413, 429);

	private final MutableClock clock = new MutableClock(START);

	private final RecordingChallengeStore store = new RecordingChallengeStore(new CaffeineChallengeStore(10_000));

	private final CountingChain chain = new CountingChain();

	private BuiltinCaptchaService service = service(settings().build());

	private BuiltinCaptchaEndpointFilter filter = new BuiltinCaptchaEndpointFilter(this.service, "/captcha");

	// ---- generate and validate round trips

	@Test
	void doFilterWhenGenerateMathThenJsonChallengeAndChainNotRun() throws Exception {
		CapturingResponse response = post("/captcha/generate", "{\"site_key\":\"demo-site-key\",\"type\":\"math\"}");

		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getContentType()).startsWith("application/json");
		assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
		assertThat(response.getHeader("Content-Length"))
			.isEqualTo(Integer.toString(response.getContentAsByteArray().length));
		JsonNode json = json(response);
		assertThat(json.propertyNames()).containsExactly("captcha_id", "type", "question", "expires_in", "types",
				"audio");
		assertThat(json.get("type").stringValue()).isEqualTo("math");
		assertThat(json.get("expires_in").longValue()).isEqualTo(300);
		assertThat(json.get("question").stringValue()).matches(MATH);
		assertThat(this.chain.calls).isZero();
	}

	@Test
	void doFilterWhenGenerateThenValidateThenTokenThatVerifies() throws Exception {
		JsonNode challenge = json(post("/captcha/generate", "{\"site_key\":\"demo-site-key\",\"type\":\"math\"}"));
		String id = challenge.get("captcha_id").stringValue();

		CapturingResponse response = post("/captcha/validate", "{\"site_key\":\"demo-site-key\",\"captcha_id\":\"" + id
				+ "\",\"user_input\":\"" + mathAnswer(challenge.get("question").stringValue()) + "\"}");

		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getContentType()).startsWith("application/json");
		JsonNode answer = json(response);
		assertThat(answer.propertyNames()).containsExactly("valid", "token");
		assertThat(answer.get("valid").booleanValue()).isTrue();
		String token = answer.get("token").stringValue();
		assertThat(SignedJWT.parse(token).getJWTClaimsSet().getJWTID()).isEqualTo(id);
		assertThat(verify(token, "127.0.0.1")).isEqualTo(VerificationOutcome.PASSED);
		assertThat(this.chain.calls).isZero();
	}

	@Test
	void doFilterWhenValidateWithWrongAnswerThenValidFalseWithoutToken() throws Exception {
		JsonNode challenge = json(post("/captcha/generate", "{\"site_key\":\"demo-site-key\",\"type\":\"math\"}"));

		CapturingResponse response = post("/captcha/validate", "{\"site_key\":\"demo-site-key\",\"captcha_id\":\""
				+ challenge.get("captcha_id").stringValue() + "\",\"user_input\":\"-1\"}");

		assertThat(response.getStatus()).isEqualTo(200);
		JsonNode answer = json(response);
		assertThat(answer.propertyNames()).containsExactly("valid");
		assertThat(answer.get("valid").booleanValue()).isFalse();
	}

	@Test
	void doFilterWhenMathUserInputIsJsonNumberThenValid() throws Exception {
		JsonNode challenge = json(post("/captcha/generate", "{\"site_key\":\"demo-site-key\",\"type\":\"math\"}"));

		CapturingResponse response = post("/captcha/validate",
				"{\"site_key\":\"demo-site-key\",\"captcha_id\":\"" + challenge.get("captcha_id").stringValue()
						+ "\",\"user_input\":" + mathAnswer(challenge.get("question").stringValue()) + "}");

		assertThat(json(response).get("valid").booleanValue()).isTrue();
	}

	@Test
	void doFilterWhenGridWithSizeThenGridMembers() throws Exception {
		CapturingResponse response = post("/captcha/generate",
				"{\"site_key\":\"demo-site-key\",\"type\":\"grid\",\"size\":450,\"action\":\"signup\"}");

		assertThat(response.getStatus()).isEqualTo(200);
		JsonNode json = json(response);
		assertThat(json.propertyNames()).containsExactly("captcha_id", "type", "image", "question", "expires_in",
				"size", "rows", "cols", "label", "types", "audio");
		assertThat(json.get("size").intValue()).isEqualTo(450);
		assertThat(json.get("rows").intValue()).isEqualTo(3);
		assertThat(json.get("cols").intValue()).isEqualTo(3);
		assertThat(json.get("label").stringValue()).startsWith("/shape/");
		assertThat(Base64.getDecoder().decode(json.get("image").stringValue())).startsWith(0x89, 'P', 'N', 'G');
		assertThat(this.store.saved(json.get("captcha_id").stringValue()).action()).isEqualTo("signup");
	}

	@Test
	void doFilterWhenGridUserInputIsJsonArrayThenValid() throws Exception {
		JsonNode challenge = json(post("/captcha/generate", "{\"site_key\":\"demo-site-key\",\"type\":\"grid\"}"));
		String id = challenge.get("captcha_id").stringValue();
		List<String> tiles = new ArrayList<>(List.of(this.store.answer(id).split(",")));
		Collections.reverse(tiles);

		CapturingResponse response = post("/captcha/validate", "{\"site_key\":\"demo-site-key\",\"captcha_id\":\"" + id
				+ "\",\"user_input\":[" + String.join(", ", tiles) + "]}");

		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(json(response).get("valid").booleanValue()).isTrue();
	}

	@Test
	void doFilterWhenGridUserInputArrayIsSupersetThenValidFalse() throws Exception {
		JsonNode challenge = json(post("/captcha/generate", "{\"site_key\":\"demo-site-key\",\"type\":\"grid\"}"));
		String id = challenge.get("captcha_id").stringValue();

		CapturingResponse response = post("/captcha/validate",
				"{\"site_key\":\"demo-site-key\",\"captcha_id\":\"" + id + "\",\"user_input\":[0,1,2,3,4,5,6,7,8]}");

		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(json(response).get("valid").booleanValue()).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "[\"1\",2]", "[1.5]", "[[1]]", "{\"a\":1}", "true" })
	void doFilterWhenUserInputNeitherStringNorTileArrayThen400(String userInput) throws Exception {
		JsonNode challenge = json(post("/captcha/generate", "{\"site_key\":\"demo-site-key\",\"type\":\"grid\"}"));

		CapturingResponse response = post("/captcha/validate", "{\"site_key\":\"demo-site-key\",\"captcha_id\":\""
				+ challenge.get("captcha_id").stringValue() + "\",\"user_input\":" + userInput + "}");

		assertProblem(response, 400, "captcha_bad_request");
	}

	@Test
	void doFilterWhenPowGeneratedAndPayloadValidatedThenToken() throws Exception {
		JsonNode challenge = json(post("/captcha/generate", "{\"site_key\":\"demo-site-key\",\"type\":\"pow\"}"));
		assertThat(challenge.propertyNames()).containsExactly("captcha_id", "type", "expires_in", "algorithm",
				"challenge", "maxnumber", "salt", "signature");
		String payload = solvePow(challenge);

		CapturingResponse response = post("/captcha/validate", "{\"site_key\":\"demo-site-key\",\"captcha_id\":\""
				+ challenge.get("captcha_id").stringValue() + "\",\"user_input\":\"" + payload + "\"}");

		assertThat(json(response).get("valid").booleanValue()).isTrue();
		assertThat(verify(payload, null)).as("the payload was spent").isEqualTo(VerificationOutcome.REPLAYED);
	}

	@Test
	void doFilterWhenValidateTwiceThenSecondIs400ChallengeInvalid() throws Exception {
		JsonNode challenge = json(post("/captcha/generate", "{\"site_key\":\"demo-site-key\",\"type\":\"math\"}"));
		String body = "{\"site_key\":\"demo-site-key\",\"captcha_id\":\"" + challenge.get("captcha_id").stringValue()
				+ "\",\"user_input\":\"" + mathAnswer(challenge.get("question").stringValue()) + "\"}";
		assertThat(post("/captcha/validate", body).getStatus()).isEqualTo(200);

		assertProblem(post("/captcha/validate", body), 400, "captcha_challenge_invalid");
	}

	// ---- errors

	@Test
	void doFilterWhenPutOnGenerateThen405WithAllow() throws Exception {
		TestRequest request = new TestRequest("PUT", "/captcha/generate");
		CapturingResponse response = new CapturingResponse();

		this.filter.doFilter(request, response, this.chain);

		assertProblem(response, 405, "captcha_method_not_allowed");
		assertThat(response.getHeader("Allow")).isEqualTo("GET, POST");
		assertThat(this.chain.calls).isZero();
	}

	@Test
	void doFilterWhenPutOnValidateThen405WithAllow() throws Exception {
		TestRequest request = new TestRequest("PUT", "/captcha/validate");
		request.setContent("{}".getBytes(StandardCharsets.UTF_8));
		CapturingResponse response = new CapturingResponse();

		this.filter.doFilter(request, response, this.chain);

		assertProblem(response, 405, "captcha_method_not_allowed");
		assertThat(response.getHeader("Allow")).isEqualTo("POST");
	}

	@ParameterizedTest
	@ValueSource(strings = { "not json", "{\"site_key\":", "[1,2]", "\"text\"", "", "null", "{\"a\":1}}" })
	void doFilterWhenBodyNotAJsonObjectThen400Problem(String body) throws Exception {
		CapturingResponse response = post("/captcha/generate", body);

		JsonNode problem = assertProblem(response, 400, "captcha_bad_request");
		assertThat(problem.get("title").stringValue()).isEqualTo("Bad Request");
		assertThat(problem.get("status").intValue()).isEqualTo(400);
		assertThat(problem.get("type").stringValue()).isEqualTo("urn:captcha-security:error:captcha_bad_request");
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"site_key\":5}", "{\"site_key\":[\"demo-site-key\"]}", "{\"site_key\":true}",
			"{\"site_key\":{\"k\":\"demo-site-key\"}}" })
	void doFilterWhenSiteKeyNotAStringThen400(String body) throws Exception {
		assertThat(
				assertProblem(post("/captcha/generate", body), 400, "captcha_bad_request").get("detail").stringValue())
			.contains("site_key");
		assertProblem(post("/captcha/validate", body), 400, "captcha_bad_request");
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"300\"", "300.5", "true", "[300]" })
	void doFilterWhenSizeNotAnIntegerThen400(String size) throws Exception {
		CapturingResponse response = post("/captcha/generate",
				"{\"site_key\":\"demo-site-key\",\"type\":\"grid\",\"size\":" + size + "}");

		assertProblem(response, 400, "captcha_bad_request");
	}

	@Test
	void doFilterWhenSizeNullThenDefault() throws Exception {
		CapturingResponse response = post("/captcha/generate",
				"{\"site_key\":\"demo-site-key\",\"type\":\"grid\",\"size\":null}");

		assertThat(json(response).get("size").intValue()).isEqualTo(300);
	}

	@Test
	void doFilterWhenSizeBeyondIntRangeThen400() throws Exception {
		CapturingResponse response = post("/captcha/generate",
				"{\"site_key\":\"demo-site-key\",\"type\":\"grid\",\"size\":3000000000}");

		assertProblem(response, 400, "captcha_bad_request");
	}

	@Test
	void doFilterWhenUserInputArrayElementBeyondLongRangeThen200InvalidOr400() throws Exception {
		JsonNode challenge = json(post("/captcha/generate", "{\"site_key\":\"demo-site-key\",\"type\":\"grid\"}"));

		CapturingResponse response = post("/captcha/validate", "{\"site_key\":\"demo-site-key\",\"captcha_id\":\""
				+ challenge.get("captcha_id").stringValue() + "\",\"user_input\":[100000000000000000000000]}");

		assertThat(response.getStatus()).isIn(200, 400);
		assertThat(response.getStatus() == 400 || !json(response).get("valid").booleanValue()).isTrue();
	}

	@Test
	void doFilterWhenPowPayloadNumberBeyondLongRangeThenValidFalse() throws Exception {
		JsonNode challenge = json(post("/captcha/generate", "{\"site_key\":\"demo-site-key\",\"type\":\"pow\"}"));
		String json = new String(Base64.getDecoder().decode(solvePow(challenge)), StandardCharsets.UTF_8)
			.replaceFirst("\"number\":\\d+", "\"number\":100000000000000000000000");
		String payload = Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));

		CapturingResponse response = post("/captcha/validate", "{\"site_key\":\"demo-site-key\",\"captcha_id\":\""
				+ challenge.get("captcha_id").stringValue() + "\",\"user_input\":\"" + payload + "\"}");

		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(json(response).get("valid").booleanValue()).isFalse();
	}

	@Test
	void doFilterWhenDeclaredBodyOver16KiBThen413() throws Exception {
		String body = "{\"site_key\":\"demo-site-key\",\"pad\":\"" + "x".repeat(16 * 1024) + "\"}";

		CapturingResponse response = post("/captcha/generate", body);

		JsonNode problem = assertProblem(response, 413, "captcha_body_too_large");
		assertThat(problem.get("title").stringValue()).isEqualTo("Content Too Large");
	}

	@Test
	void doFilterWhenUndeclaredBodyOver16KiBThen413() throws Exception {
		TestRequest request = new TestRequest("POST", "/captcha/validate") {

			@Override
			public int getContentLength() {
				return -1;
			}

			@Override
			public long getContentLengthLong() {
				return -1;
			}

		};
		request.setContent(("{\"site_key\":\"demo-site-key\",\"pad\":\"" + "x".repeat(16 * 1024) + "\"}")
			.getBytes(StandardCharsets.UTF_8));
		CapturingResponse response = new CapturingResponse();

		this.filter.doFilter(request, response, this.chain);

		assertProblem(response, 413, "captcha_body_too_large");
	}

	@Test
	void doFilterWhenBodyExactly16KiBThenRead() throws Exception {
		String prefix = "{\"site_key\":\"demo-site-key\",\"type\":\"math\",\"pad\":\"";
		String body = prefix + "x".repeat(16 * 1024 - prefix.length() - 2) + "\"}";
		assertThat(body.getBytes(StandardCharsets.UTF_8)).hasSize(16 * 1024);

		assertThat(post("/captcha/generate", body).getStatus()).isEqualTo(200);
	}

	@Test
	void doFilterWhenUnknownSiteKeyThen403ForGenerateAndValidate() throws Exception {
		JsonNode generate = assertProblem(post("/captcha/generate", "{\"site_key\":\"nope\",\"type\":\"math\"}"), 403,
				"captcha_site_key_invalid");
		assertThat(generate.get("title").stringValue()).isEqualTo("Forbidden");
		assertProblem(post("/captcha/validate", "{\"site_key\":\"nope\",\"captcha_id\":\"x\",\"user_input\":\"1\"}"),
				403, "captcha_site_key_invalid");
		assertProblem(post("/captcha/generate", "{\"type\":\"math\"}"), 403, "captcha_site_key_invalid");
	}

	@Test
	void doFilterWhenUnknownTypeThen400() throws Exception {
		assertProblem(post("/captcha/generate", "{\"site_key\":\"demo-site-key\",\"type\":\"audio\"}"), 400,
				"captcha_bad_request");
	}

	@Test
	void doFilterWhenRateLimitedThen429WithRetryAfter() throws Exception {
		this.service = service(settings().limits(1, 100).build());
		this.filter = new BuiltinCaptchaEndpointFilter(this.service, "/captcha");
		String body = "{\"site_key\":\"demo-site-key\",\"type\":\"math\"}";
		assertThat(post("/captcha/generate", body).getStatus()).isEqualTo(200);
		this.clock.advance(Duration.ofMinutes(10));

		CapturingResponse response = post("/captcha/generate", body);

		JsonNode problem = assertProblem(response, 429, "captcha_rate_limited");
		assertThat(problem.get("title").stringValue()).isEqualTo("Too Many Requests");
		assertThat(response.getHeader("Retry-After")).isEqualTo("3000");
		this.clock.advance(Duration.ofMinutes(50));
		assertThat(post("/captcha/generate", body).getStatus()).isEqualTo(200);
	}

	@Test
	void doFilterWhenValidateRateLimitedThen429WithRetryAfter() throws Exception {
		this.service = service(settings().limits(100, 1).build());
		this.filter = new BuiltinCaptchaEndpointFilter(this.service, "/captcha");
		String body = "{\"site_key\":\"demo-site-key\",\"captcha_id\":\"x\",\"user_input\":\"1\"}";
		assertProblem(post("/captcha/validate", body), 400, "captcha_challenge_invalid");

		CapturingResponse response = post("/captcha/validate", body);

		assertProblem(response, 429, "captcha_rate_limited");
		assertThat(response.getHeader("Retry-After")).isEqualTo("3600");
	}

	// ---- widget

	@Test
	void doFilterWhenGetWidgetThenJavaScript() throws Exception {
		TestRequest request = new TestRequest("GET", "/captcha/widget.js");
		CapturingResponse response = new CapturingResponse();

		this.filter.doFilter(request, response, this.chain);

		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getContentType()).startsWith("text/javascript");
		assertThat(response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
		assertThat(response.getContentAsString()).contains("CaptchaSecurity");
		assertThat(response.getHeader("Content-Length"))
			.isEqualTo(Integer.toString(response.getContentAsByteArray().length));
		assertThat(this.chain.calls).isZero();
	}

	@Test
	void doFilterWhenHeadWidgetThenHeadersWithoutBody() throws Exception {
		TestRequest request = new TestRequest("HEAD", "/captcha/widget.js");
		CapturingResponse response = new CapturingResponse();

		this.filter.doFilter(request, response, this.chain);

		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getContentType()).startsWith("text/javascript");
		assertThat(Integer.parseInt(response.getHeader("Content-Length"))).isPositive();
		assertThat(response.getContentAsByteArray()).isEmpty();
	}

	@Test
	void doFilterWhenPostWidgetThen405() throws Exception {
		TestRequest request = new TestRequest("POST", "/captcha/widget.js");
		CapturingResponse response = new CapturingResponse();

		this.filter.doFilter(request, response, this.chain);

		assertProblem(response, 405, "captcha_method_not_allowed");
		assertThat(response.getHeader("Allow")).isEqualTo("GET, HEAD");
	}

	@Test
	void doFilterWhenGetWidgetCssThenStylesheet() throws Exception {
		TestRequest request = new TestRequest("GET", "/captcha/widget.css");
		CapturingResponse response = new CapturingResponse();

		this.filter.doFilter(request, response, this.chain);

		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getContentType()).startsWith("text/css");
		assertThat(response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
		assertThat(response.getContentAsString()).contains(".captcha-widget").contains("--captcha-accent");
		assertThat(this.chain.calls).isZero();
	}

	// ---- audio

	@Test
	void doFilterWhenImageGeneratedThenAudioOfferedAndAllowedTypesListed() throws Exception {
		JsonNode challenge = json(post("/captcha/generate", "{\"site_key\":\"demo-site-key\",\"type\":\"image\"}"));

		assertThat(challenge.get("audio").booleanValue()).isTrue();
		assertThat(challenge.get("types").valueStream().map(JsonNode::stringValue)).containsExactly("image", "math",
				"grid", "pow");
	}

	@Test
	void doFilterWhenAudioOfImageChallengeThenWavAndTheAnswerValidates() throws Exception {
		String id = json(post("/captcha/generate", "{\"site_key\":\"demo-site-key\",\"type\":\"image\"}"))
			.get("captcha_id")
			.stringValue();
		TestRequest request = new TestRequest("GET", "/captcha/audio");
		request.setParameter("challenge", id);
		CapturingResponse response = new CapturingResponse();

		this.filter.doFilter(request, response, this.chain);

		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getContentType()).isEqualTo("audio/wav");
		assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
		byte[] wav = response.getContentAsByteArray();
		assertThat(new String(wav, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
		assertThat(response.getHeader("Content-Length")).isEqualTo(Integer.toString(wav.length));
		JsonNode answer = json(post("/captcha/validate", "{\"site_key\":\"demo-site-key\",\"captcha_id\":\"" + id
				+ "\",\"user_input\":\"" + this.store.answer(id) + "\"}"));
		assertThat(answer.get("valid").booleanValue()).isTrue();
	}

	@Test
	void doFilterWhenAudioWithoutOrWithTwoChallengesThen400() throws Exception {
		TestRequest none = new TestRequest("GET", "/captcha/audio");
		CapturingResponse noneResponse = new CapturingResponse();
		this.filter.doFilter(none, noneResponse, this.chain);
		assertProblem(noneResponse, 400, "captcha_bad_request");

		TestRequest two = new TestRequest("GET", "/captcha/audio");
		two.setParameter("challenge", "a", "b");
		CapturingResponse twoResponse = new CapturingResponse();
		this.filter.doFilter(two, twoResponse, this.chain);
		assertProblem(twoResponse, 400, "captcha_bad_request");

		TestRequest unknown = new TestRequest("GET", "/captcha/audio");
		unknown.setParameter("challenge", "unknown");
		CapturingResponse unknownResponse = new CapturingResponse();
		this.filter.doFilter(unknown, unknownResponse, this.chain);
		assertProblem(unknownResponse, 400, "captcha_challenge_invalid");
	}

	@Test
	void doFilterWhenPostAudioThen405() throws Exception {
		CapturingResponse response = post("/captcha/audio", "{}");

		assertProblem(response, 405, "captcha_method_not_allowed");
		assertThat(response.getHeader("Allow")).isEqualTo("GET");
	}

	// ---- paths

	@ParameterizedTest
	@ValueSource(strings = { "/captcha/other", "/api/x", "/captcha", "/captchas/generate", "/", "/captcha/generate/x",
			"/x/captcha/generate" })
	void doFilterWhenOtherPathThenChainRunsAndResponseUntouched(String path) throws Exception {
		TestRequest request = new TestRequest("POST", path);
		request.setContent("{\"site_key\":\"demo-site-key\",\"type\":\"math\"}".getBytes(StandardCharsets.UTF_8));
		CapturingResponse response = new CapturingResponse();

		this.filter.doFilter(request, response, this.chain);

		assertThat(this.chain.calls).isEqualTo(1);
		assertThat(this.chain.request).isSameAs(request);
		assertThat(this.chain.response).isSameAs(response);
		assertThat(response.getContentAsByteArray()).isEmpty();
		assertThat(this.store.last()).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "/captcha/generate/", "/captcha//generate", "/captcha/./generate", "/captcha/%67enerate",
			"/captcha/generate;jsessionid=1" })
	void doFilterWhenGeneratePathSpelledDifferentlyThenServed(String path) throws Exception {
		CapturingResponse response = post(path, "{\"site_key\":\"demo-site-key\",\"type\":\"math\"}");

		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(this.chain.calls).isZero();
	}

	@Test
	void doFilterWhenContextPathThenServedBelowIt() throws Exception {
		TestRequest request = new TestRequest("POST", "/app/captcha/generate");
		request.setContextPath("/app");
		request.setContent("{\"site_key\":\"demo-site-key\",\"type\":\"math\"}".getBytes(StandardCharsets.UTF_8));
		CapturingResponse response = new CapturingResponse();

		this.filter.doFilter(request, response, this.chain);

		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(json(response).get("type").stringValue()).isEqualTo("math");
		assertThat(this.chain.calls).isZero();
	}

	@Test
	void doFilterWhenContextPathAndOtherPathThenChainRuns() throws Exception {
		TestRequest request = new TestRequest("GET", "/app/api/captcha/widget.js");
		request.setContextPath("/app");
		CapturingResponse response = new CapturingResponse();

		this.filter.doFilter(request, response, this.chain);

		assertThat(this.chain.calls).isEqualTo(1);
		assertThat(response.getContentAsByteArray()).isEmpty();
	}

	@Test
	void doFilterWhenCustomBasePathThenServedThereOnly() throws Exception {
		this.filter = new BuiltinCaptchaEndpointFilter(this.service, "api/human-check/");
		assertThat(this.filter.getBasePath()).isEqualTo("/api/human-check");

		assertThat(post("/api/human-check/generate", "{\"site_key\":\"demo-site-key\",\"type\":\"math\"}").getStatus())
			.isEqualTo(200);
		post("/captcha/generate", "{\"site_key\":\"demo-site-key\",\"type\":\"math\"}");
		assertThat(this.chain.calls).isEqualTo(1);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/", "", "//", "/./" })
	void constructorWhenBasePathIsRootThenIllegalArgumentException(String basePath) {
		assertThatIllegalArgumentException().isThrownBy(() -> new BuiltinCaptchaEndpointFilter(this.service, basePath));
	}

	// ---- client IP

	@Test
	void doFilterWhenClientIpResolverSetThenItsValueBindsTheToken() throws Exception {
		this.service = service(settings().bindIp(true).build());
		this.filter = new BuiltinCaptchaEndpointFilter(this.service, "/captcha");
		this.filter.setClientIpResolver((request) -> request.getHeader("X-Client-IP"));
		JsonNode challenge = json(
				post("/captcha/generate", "{\"site_key\":\"demo-site-key\",\"type\":\"math\"}", "10.0.0.1"));
		assertThat(this.store.saved(challenge.get("captcha_id").stringValue()).clientIp()).isEqualTo("10.0.0.1");

		JsonNode answer = json(post("/captcha/validate",
				"{\"site_key\":\"demo-site-key\",\"captcha_id\":\"" + challenge.get("captcha_id").stringValue()
						+ "\",\"user_input\":\"" + mathAnswer(challenge.get("question").stringValue()) + "\"}",
				"10.0.0.1"));

		assertThat(answer.get("valid").booleanValue()).isTrue();
		String token = answer.get("token").stringValue();
		assertThat(SignedJWT.parse(token).getJWTClaimsSet().getStringClaim("ip")).isEqualTo("10.0.0.1");
		assertThat(verify(token, "127.0.0.1")).isEqualTo(VerificationOutcome.INVALID);
		assertThat(verify(token, "10.0.0.1")).isEqualTo(VerificationOutcome.PASSED);
	}

	@Test
	void doFilterWhenClientIpResolverGivesOtherIpAtValidateThenValidFalse() throws Exception {
		this.service = service(settings().bindIp(true).build());
		this.filter = new BuiltinCaptchaEndpointFilter(this.service, "/captcha");
		this.filter.setClientIpResolver((request) -> request.getHeader("X-Client-IP"));
		JsonNode challenge = json(
				post("/captcha/generate", "{\"site_key\":\"demo-site-key\",\"type\":\"math\"}", "10.0.0.1"));

		JsonNode answer = json(post("/captcha/validate",
				"{\"site_key\":\"demo-site-key\",\"captcha_id\":\"" + challenge.get("captcha_id").stringValue()
						+ "\",\"user_input\":\"" + mathAnswer(challenge.get("question").stringValue()) + "\"}",
				"10.0.0.2"));

		assertThat(answer.get("valid").booleanValue()).isFalse();
	}

	@Test
	void doFilterWhenNoResolverSetThenRemoteAddressUsed() throws Exception {
		TestRequest request = new TestRequest("POST", "/captcha/generate");
		request.setRemoteAddr("203.0.113.7");
		request.setContent("{\"site_key\":\"demo-site-key\",\"type\":\"math\"}".getBytes(StandardCharsets.UTF_8));

		this.filter.doFilter(request, new CapturingResponse(), this.chain);

		assertThat(this.store.last()).isNotNull();
		assertThat(this.store.last().clientIp()).isEqualTo("203.0.113.7");
	}

	// ---- never 500

	@Test
	void doFilterWhenRandomBodiesThenOnlyClientErrorsOrSuccess() throws Exception {
		Random random = new Random(20260101L);
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			ids.add(json(post("/captcha/generate",
					"{\"site_key\":\"demo-site-key\",\"type\":\"" + randomType(random) + "\"}"))
				.get("captcha_id")
				.stringValue());
		}
		Map<Integer, Integer> statuses = new TreeMap<>();
		for (int i = 0; i < 80; i++) {
			String path = random.nextBoolean() ? "/captcha/generate" : "/captcha/validate";
			byte[] body = randomBody(random, ids);
			TestRequest request = new TestRequest("POST", path);
			request.setContent(body);
			CapturingResponse response = new CapturingResponse();

			this.filter.doFilter(request, response, this.chain);

			String described = path + " " + new String(body, StandardCharsets.UTF_8);
			assertThat(response.getStatus()).as(described).isIn(CLIENT_ERROR_OR_OK);
			statuses.merge(response.getStatus(), 1, Integer::sum);
			JsonNode answer = json(response);
			assertThat(answer.isObject()).as(described).isTrue();
			if (response.getStatus() != 200) {
				assertThat(response.getContentType()).as(described).startsWith("application/problem+json");
				assertThat(answer.get("detail").stringValue()).as(described).isNotBlank();
				assertThat(answer.get("code").stringValue()).as(described).startsWith("captcha_");
			}
		}
		assertThat(this.chain.calls).isZero();
		assertThat(statuses).as("the bodies reach past the JSON parser").containsKeys(200, 400, 403);
	}

	// ---- helpers

	private BuiltinSettings.Builder settings() {
		return BuiltinSettings.builder(SIGNING_KEY).siteKeys(List.of(SITE_KEY, "other-site-key")).powMaxNumber(1000);
	}

	private BuiltinCaptchaService service(BuiltinSettings settings) {
		return new BuiltinCaptchaService(settings, this.store, new CaffeineRateLimiter(1000, this.clock),
				new CaffeineReplayCache(1000), this.clock);
	}

	private CapturingResponse post(String path, String body) throws Exception {
		return post(path, body, null);
	}

	private CapturingResponse post(String path, String body, String clientIpHeader) throws Exception {
		TestRequest request = new TestRequest("POST", path);
		request.setContentType("application/json");
		request.setContent(body.getBytes(StandardCharsets.UTF_8));
		if (clientIpHeader != null) {
			request.addHeader("X-Client-IP", clientIpHeader);
		}
		CapturingResponse response = new CapturingResponse();
		this.filter.doFilter(request, response, this.chain);
		return response;
	}

	private VerificationOutcome verify(String token, String clientIp) {
		return this.service
			.verify("local", new VerificationRequest(token, clientIp, null, Set.of(), null, Duration.ofMinutes(5)))
			.outcome();
	}

	private static JsonNode json(CapturingResponse response) {
		return JSON.readTree(response.getContentAsByteArray());
	}

	private static JsonNode assertProblem(CapturingResponse response, int status, String code) {
		assertThat(response.getStatus()).isEqualTo(status);
		assertThat(response.getContentType()).startsWith("application/problem+json");
		assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
		JsonNode problem = json(response);
		assertThat(problem.get("status").intValue()).isEqualTo(status);
		assertThat(problem.get("code").stringValue()).isEqualTo(code);
		assertThat(problem.get("detail").stringValue()).isNotBlank();
		if (status != 429) {
			assertThat(response.getHeader("Retry-After")).isNull();
		}
		return problem;
	}

	private static String mathAnswer(String question) {
		Matcher matcher = MATH.matcher(question);
		assertThat(matcher.matches()).as(question).isTrue();
		int a = Integer.parseInt(matcher.group(1));
		int b = Integer.parseInt(matcher.group(3));
		return Integer.toString(switch (matcher.group(2)) {
			case "+" -> a + b;
			case "-" -> a - b;
			default -> a * b;
		});
	}

	/**
	 * Solve an ALTCHA v1 challenge by brute force, as the browser widget does, and encode
	 * the payload.
	 */
	private static String solvePow(JsonNode challenge) throws Exception {
		String salt = challenge.get("salt").stringValue();
		String hash = challenge.get("challenge").stringValue();
		MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
		for (int number = 0; number <= challenge.get("maxnumber").intValue(); number++) {
			String candidate = HexFormat.of()
				.formatHex(sha256.digest((salt + number).getBytes(StandardCharsets.UTF_8)));
			if (candidate.equals(hash)) {
				String payload = "{\"algorithm\":\"SHA-256\",\"challenge\":\"" + hash + "\",\"number\":" + number
						+ ",\"salt\":\"" + salt + "\",\"signature\":\"" + challenge.get("signature").stringValue()
						+ "\"}";
				return Base64.getEncoder().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
			}
		}
		throw new IllegalStateException("no solution");
	}

	private static String randomType(Random random) {
		return List.of("image", "math", "grid", "pow").get(random.nextInt(4));
	}

	private static byte[] randomBody(Random random, List<String> ids) {
		String json = switch (random.nextInt(6)) {
			case 0 -> {
				byte[] bytes = new byte[random.nextInt(300)];
				random.nextBytes(bytes);
				yield new String(bytes, StandardCharsets.ISO_8859_1);
			}
			case 1 -> {
				String object = plausibleObject(random, ids);
				yield object.substring(0, random.nextInt(object.length() + 1));
			}
			case 2, 3 -> randomObject(random, ids, 0);
			default -> plausibleObject(random, ids);
		};
		return json.getBytes((random.nextInt(6) == 0) ? StandardCharsets.UTF_16 : StandardCharsets.UTF_8);
	}

	/** An object with the right members, some of them with wrong values. */
	private static String plausibleObject(Random random, List<String> ids) {
		StringBuilder json = new StringBuilder("{\"site_key\":")
			.append((random.nextInt(5) == 0) ? randomValue(random, "extra", ids, 0) : quote(SITE_KEY));
		if (random.nextBoolean()) {
			json.append(",\"type\":").append(quote(randomType(random)));
			if (random.nextBoolean()) {
				json.append(",\"size\":").append(List.of("100", "300", "450", "301", "-1", "0").get(random.nextInt(6)));
			}
			if (random.nextBoolean()) {
				json.append(",\"action\":").append(randomValue(random, "action", ids, 0));
			}
		}
		else {
			json.append(",\"captcha_id\":").append(randomValue(random, "captcha_id", ids, 0));
			json.append(",\"user_input\":").append(randomValue(random, "user_input", ids, 0));
		}
		return json.append('}').toString();
	}

	private static String randomObject(Random random, List<String> ids, int depth) {
		List<String> keys = List.of("site_key", "type", "size", "action", "captcha_id", "user_input", "extra");
		StringBuilder json = new StringBuilder("{");
		int members = random.nextInt(6);
		for (int i = 0; i < members; i++) {
			String key = keys.get(random.nextInt(keys.size()));
			json.append((i > 0) ? "," : "")
				.append('"')
				.append(key)
				.append("\":")
				.append(randomValue(random, key, ids, depth));
		}
		return json.append('}').toString();
	}

	private static String randomValue(Random random, String key, List<String> ids, int depth) {
		int kind = random.nextInt(12);
		return switch (kind) {
			case 0 -> "null";
			case 1 -> Boolean.toString(random.nextBoolean());
			case 2 -> Integer.toString(random.nextInt(2001) - 1000);
			case 3 -> Double.toString(random.nextDouble() * 1000);
			case 4 -> "[" + random.nextInt(9) + "," + random.nextInt(12) + "]";
			case 5 -> "[\"a\",null]";
			case 6 -> (depth < 2) ? randomObject(random, ids, depth + 1) : "{}";
			case 7 -> quote(randomText(random));
			default -> quote(switch (key) {
				case "site_key" -> (random.nextInt(4) == 0) ? "unknown" : SITE_KEY;
				case "type" -> randomType(random);
				case "captcha_id" -> ids.get(random.nextInt(ids.size()));
				case "action" -> (random.nextBoolean()) ? "login" : "bad action!";
				default -> randomText(random);
			});
		};
	}

	private static String randomText(Random random) {
		StringBuilder text = new StringBuilder();
		int length = random.nextInt(20);
		for (int i = 0; i < length; i++) {
			text.append((char) (0x20 + random.nextInt(0x250)));
		}
		return text.toString();
	}

	private static String quote(String value) {
		return new String(JSON.writeValueAsBytes(value), StandardCharsets.UTF_8);
	}

	/** A filter chain that counts its calls. */
	private static final class CountingChain implements FilterChain {

		private int calls;

		private ServletRequest request;

		private ServletResponse response;

		@Override
		public void doFilter(ServletRequest request, ServletResponse response) {
			this.calls++;
			this.request = request;
			this.response = response;
		}

	}

}
