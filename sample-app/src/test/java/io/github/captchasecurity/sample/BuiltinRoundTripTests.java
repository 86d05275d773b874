package io.github.captchasecurity.sample;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.captchasecurity.provider.builtin.Challenge;
import io.github.captchasecurity.provider.builtin.ChallengeStore;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.atLeastOnce;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The sample as shipped: its protected routes with the built-in provider, through a real
 * generate/validate round trip. The challenge store is spied on only to learn the answers
 * of image and grid challenges, as a person would read them.
 */
@SpringBootTest(properties = { "captcha.abuse.step-up-after=0", "captcha.abuse.block-after=0" })
@AutoConfigureMockMvc
class BuiltinRoundTripTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	@Autowired
	MockMvc mvc;

	@MockitoSpyBean
	ChallengeStore challengeStore;

	@Test
	void contactWhenMathChallengeSolvedThenMessageReceived() throws Exception {
		JsonNode challenge = generate("math", "contact");
		String token = validate(challenge.get("captcha_id").stringValue(),
				solveMath(challenge.get("question").stringValue()));
		this.mvc
			.perform(post("/api/contact").contentType(MediaType.APPLICATION_JSON)
				.content("{\"message\":\"hello\",\"captchaToken\":\"" + token + "\"}"))
			.andExpect(status().isOk())
			.andExpect(content().json("{\"received\":\"hello\"}"));
	}

	@Test
	void signupWhenImageChallengeSolvedThenCreatedAndTokenSingleUse() throws Exception {
		JsonNode challenge = generate("image", "signup");
		assertThat(Base64.getDecoder().decode(challenge.get("image").stringValue())).startsWith(0x89, 'P', 'N', 'G');
		String token = validate(challenge.get("captcha_id").stringValue(), lastAnswer().toLowerCase(Locale.ROOT));
		this.mvc
			.perform(post("/api/signup").contentType(MediaType.APPLICATION_JSON)
				.header("X-Captcha-Token", token)
				.content("{\"username\":\"alice\"}"))
			.andExpect(status().isOk())
			.andExpect(content().json("{\"created\":\"alice\"}"));
		this.mvc
			.perform(post("/api/signup").contentType(MediaType.APPLICATION_JSON)
				.header("X-Captcha-Token", token)
				.content("{\"username\":\"mallory\"}"))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.code").value("captcha_replayed"));
	}

	@Test
	void contactWhenGridSolvedWithTileArrayThenMessageReceived() throws Exception {
		JsonNode challenge = generate("grid", "contact");
		assertThat(challenge.get("label").stringValue()).startsWith("/shape/");
		assertThat(challenge.get("rows").intValue()).isEqualTo(3);
		String tiles = "[" + lastAnswer() + "]";
		MvcResult result = this.mvc
			.perform(post("/captcha/validate").contentType(MediaType.APPLICATION_JSON)
				.content("{\"site_key\":\"demo-site-key\",\"captcha_id\":\"" + challenge.get("captcha_id").stringValue()
						+ "\",\"user_input\":" + tiles + "}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.valid").value(true))
			.andReturn();
		String token = json.readTree(result.getResponse().getContentAsString()).get("token").stringValue();
		this.mvc
			.perform(post("/api/contact").contentType(MediaType.APPLICATION_JSON)
				.content("{\"message\":\"grid\",\"captchaToken\":\"" + token + "\"}"))
			.andExpect(status().isOk());
	}

	@Test
	void contactWhenProofOfWorkPayloadSentDirectlyThenReceivedOnce() throws Exception {
		// the route expects the action contact: a challenge generated without it fails
		JsonNode challenge = generate("pow", "contact");
		String payload = solvePow(challenge);
		this.mvc
			.perform(post("/api/contact").contentType(MediaType.APPLICATION_JSON)
				.content("{\"message\":\"pow\",\"captchaToken\":\"" + payload + "\"}"))
			.andExpect(status().isOk());
		this.mvc
			.perform(post("/api/contact").contentType(MediaType.APPLICATION_JSON)
				.content("{\"message\":\"pow\",\"captchaToken\":\"" + payload + "\"}"))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.code").value("captcha_replayed"));
	}

	@Test
	void signupWhenTokenIssuedForContactThenActionMismatch() throws Exception {
		JsonNode challenge = generate("math", "contact");
		String token = validate(challenge.get("captcha_id").stringValue(),
				solveMath(challenge.get("question").stringValue()));
		this.mvc
			.perform(post("/api/signup").contentType(MediaType.APPLICATION_JSON)
				.header("X-Captcha-Token", token)
				.content("{\"username\":\"bob\"}"))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.code").value("captcha_action_mismatch"));
	}

	@Test
	void validateWhenWrongAnswerThenNotValidAndChallengeBurned() throws Exception {
		JsonNode challenge = generate("math", "contact");
		String id = challenge.get("captcha_id").stringValue();
		this.mvc
			.perform(post("/captcha/validate").contentType(MediaType.APPLICATION_JSON)
				.content("{\"site_key\":\"demo-site-key\",\"captcha_id\":\"" + id + "\",\"user_input\":\"-1\"}"))
			.andExpect(status().isOk())
			.andExpect(content().json("{\"valid\":false}", JsonCompareMode.STRICT));
		this.mvc
			.perform(post("/captcha/validate").contentType(MediaType.APPLICATION_JSON)
				.content("{\"site_key\":\"demo-site-key\",\"captcha_id\":\"" + id + "\",\"user_input\":\""
						+ solveMath(challenge.get("question").stringValue()) + "\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.detail").exists());
	}

	@Test
	void contactWhenForgedTokenThenInvalid() throws Exception {
		this.mvc.perform(post("/api/contact").contentType(MediaType.APPLICATION_JSON)
			.content(
					"{\"message\":\"x\",\"captchaToken\":\"eyJhbGciOiJIUzI1NiJ9.eyJzayI6ImRlbW8tc2l0ZS1rZXkifQ.AAAA\"}"))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.code").value("captcha_invalid"));
	}

	@Test
	void generateWhenUnknownSiteKeyThenForbidden() throws Exception {
		this.mvc
			.perform(post("/captcha/generate").contentType(MediaType.APPLICATION_JSON)
				.content("{\"site_key\":\"nope\",\"type\":\"math\"}"))
			.andExpect(status().isForbidden())
			.andExpect(header().string("Content-Type", Matchers.startsWith("application/problem+json")))
			.andExpect(jsonPath("$.detail").value("Invalid site key"));
	}

	@Test
	void widgetScriptServed() throws Exception {
		this.mvc.perform(get("/captcha/widget.js"))
			.andExpect(status().isOk())
			.andExpect(header().string("Content-Type", Matchers.startsWith("text/javascript")))
			.andExpect(content().string(Matchers.containsString("window.CaptchaSecurity")));
	}

	@Test
	void pagesServed() throws Exception {
		this.mvc.perform(get("/contact")).andExpect(status().isOk());
		this.mvc.perform(get("/signup")).andExpect(status().isOk());
	}

	private JsonNode generate(String type, String action) throws Exception {
		Map<String, Object> request = new LinkedHashMap<>();
		request.put("site_key", "demo-site-key");
		request.put("type", type);
		if (action != null) {
			request.put("action", action);
		}
		MvcResult result = this.mvc
			.perform(post("/captcha/generate").contentType(MediaType.APPLICATION_JSON)
				.content(json.writeValueAsString(request)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.type").value(type))
			.andExpect(jsonPath("$.expires_in").value(300))
			.andReturn();
		return json.readTree(result.getResponse().getContentAsString());
	}

	private String validate(String captchaId, String answer) throws Exception {
		MvcResult result = this.mvc
			.perform(post("/captcha/validate").contentType(MediaType.APPLICATION_JSON)
				.content(json.writeValueAsString(
						Map.of("site_key", "demo-site-key", "captcha_id", captchaId, "user_input", answer))))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.valid").value(true))
			.andReturn();
		return json.readTree(result.getResponse().getContentAsString()).get("token").stringValue();
	}

	private String lastAnswer() {
		ArgumentCaptor<Challenge> saved = ArgumentCaptor.forClass(Challenge.class);
		then(this.challengeStore).should(atLeastOnce()).save(saved.capture(), any());
		return saved.getValue().answer();
	}

	static String solveMath(String question) {
		Matcher matcher = Pattern.compile("What is (\\d+) (.) (\\d+)\\?").matcher(question);
		assertThat(matcher.matches()).as(question).isTrue();
		int a = Integer.parseInt(matcher.group(1));
		int b = Integer.parseInt(matcher.group(3));
		return switch (matcher.group(2)) {
			case "+" -> String.valueOf(a + b);
			case "-" -> String.valueOf(a - b);
			default -> String.valueOf(a * b);
		};
	}

	private static String solvePow(JsonNode challenge) throws Exception {
		String salt = challenge.get("salt").stringValue();
		String target = challenge.get("challenge").stringValue();
		MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
		for (int number = 0; number <= challenge.get("maxnumber").intValue(); number++) {
			String hash = HexFormat.of().formatHex(sha256.digest((salt + number).getBytes(StandardCharsets.UTF_8)));
			if (hash.equals(target)) {
				Map<String, Object> payload = new LinkedHashMap<>();
				payload.put("algorithm", challenge.get("algorithm").stringValue());
				payload.put("challenge", target);
				payload.put("number", number);
				payload.put("salt", salt);
				payload.put("signature", challenge.get("signature").stringValue());
				return Base64.getEncoder().encodeToString(json.writeValueAsBytes(payload));
			}
		}
		throw new AssertionError("no solution");
	}

}
