package io.github.captchasecurity.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.captchasecurity.message.CaptchaMessages;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.StaticMessageSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every server message in the client's language, on a real Tomcat: problem answers of
 * protected routes, built-in API errors and the math question follow
 * {@code Accept-Language} and carry {@code Content-Language}; the {@code code} and
 * {@code type} members never change; the application's own {@code MessageSource} wins
 * over the bundled texts.
 */
@SpringBootTest(classes = { ActionBindingApplication.class, LanguagesIntegrationTests.Overrides.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "captcha.providers.local.type=builtin", "captcha.default-provider=local",
				"captcha.builtin.site-keys=demo",
				"captcha.builtin.signing-key=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
				"captcha.routes[0].path=/api/login/local", "captcha.routes[0].action=login",
				"captcha.abuse.block-after=0", "captcha.abuse.step-up-after=0" })
class LanguagesIntegrationTests {

	/** The German title the application overrides in its own MessageSource. */
	static final String OVERRIDDEN = "Dieses CAPTCHA-Token können wir nicht lesen";

	private static final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Test
	void routeWhenGermanRequestedThenGermanTitleAndDetailWithContentLanguageAndTheSameCodeAsInEnglish()
			throws Exception {
		HttpResponse<String> german = protectedRoute("de-DE,de;q=0.9,en;q=0.8");
		HttpResponse<String> english = protectedRoute(null);

		assertThat(german.statusCode()).isEqualTo(400).isEqualTo(english.statusCode());
		assertThat(german.headers().firstValue("Content-Language")).hasValue("de");
		assertThat(english.headers().firstValue("Content-Language")).hasValue("en");
		JsonNode de = json.readTree(german.body());
		JsonNode en = json.readTree(english.body());
		assertThat(de.get("title").stringValue()).isEqualTo("Es wurde kein CAPTCHA-Token gesendet");
		assertThat(de.get("detail").stringValue())
			.isEqualTo("Lösen Sie das CAPTCHA und senden Sie sein Token mit der Anfrage.");
		assertThat(en.get("title").stringValue()).isEqualTo("No CAPTCHA token was sent");
		assertThat(de.get("code").stringValue()).isEqualTo("captcha_missing").isEqualTo(en.get("code").stringValue());
		assertThat(de.get("type").stringValue()).isEqualTo(en.get("type").stringValue());
	}

	@ParameterizedTest
	@CsvSource({ "ja, ja", "zh-CN, zh", "pt-BR, pt", "ru, ru", "es-419, es", "fr-CH, fr", "it, en",
			"'it, de;q=0.5', de" })
	void routeWhenLanguageRequestedThenAnsweredInItsSupportedLanguage(String acceptLanguage, String language)
			throws Exception {
		HttpResponse<String> response = protectedRoute(acceptLanguage);

		assertThat(response.headers().firstValue("Content-Language")).hasValue(language);
		JsonNode problem = json.readTree(response.body());
		Locale locale = Locale.forLanguageTag(language);
		assertThat(problem.get("title").stringValue())
			.isEqualTo(CaptchaMessages.bundled().message("captcha.error.captcha_missing.title", locale));
		assertThat(problem.get("detail").stringValue())
			.isEqualTo(CaptchaMessages.bundled().message("captcha.error.captcha_missing.detail", locale));
		assertThat(problem.get("code").stringValue()).isEqualTo("captcha_missing");
	}

	@Test
	void generateWhenFrenchRequestedThenMathQuestionInFrenchAndItsAnswerValidates() throws Exception {
		HttpResponse<String> response = send(post("/captcha/generate", "{\"site_key\":\"demo\",\"type\":\"math\"}")
			.header("Accept-Language", "fr-FR,fr;q=0.9"));

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Language")).hasValue("fr");
		JsonNode challenge = json.readTree(response.body());
		Matcher matcher = Pattern.compile("Combien font (\\d+) ([+\\-×]) (\\d+) \\?")
			.matcher(challenge.get("question").stringValue());
		assertThat(matcher.matches()).as(challenge.get("question").stringValue()).isTrue();
		int a = Integer.parseInt(matcher.group(1));
		int b = Integer.parseInt(matcher.group(3));
		int answer = switch (matcher.group(2)) {
			case "+" -> a + b;
			case "-" -> a - b;
			default -> a * b;
		};
		HttpResponse<String> validated = send(post("/captcha/validate", "{\"site_key\":\"demo\",\"captcha_id\":\""
				+ challenge.get("captcha_id").stringValue() + "\",\"user_input\":\"" + answer + "\"}"));
		assertThat(json.readTree(validated.body()).get("valid").booleanValue()).as(validated.body()).isTrue();
	}

	@Test
	void generateWhenJapaneseRequestedThenGridQuestionInJapanese() throws Exception {
		HttpResponse<String> response = send(
				post("/captcha/generate", "{\"site_key\":\"demo\",\"type\":\"grid\"}").header("Accept-Language", "ja"));

		assertThat(json.readTree(response.body()).get("question").stringValue()).endsWith("が含まれるマスをすべて選択してください");
	}

	@Test
	void builtinApiWhenErrorsInRussianThenRussianTitleAndDetailAndUnchangedCodes() throws Exception {
		HttpResponse<String> siteKey = send(
				post("/captcha/generate", "{\"site_key\":\"nope\"}").header("Accept-Language", "ru-RU"));
		HttpResponse<String> type = send(
				post("/captcha/generate", "{\"site_key\":\"demo\",\"type\":\"nope\"}").header("Accept-Language", "ru"));
		HttpResponse<String> method = send(
				HttpRequest.newBuilder(uri("/captcha/validate")).header("Accept-Language", "ru").GET());

		assertThat(siteKey.statusCode()).isEqualTo(403);
		assertThat(siteKey.headers().firstValue("Content-Language")).hasValue("ru");
		JsonNode problem = json.readTree(siteKey.body());
		assertThat(problem.get("code").stringValue()).isEqualTo("captcha_site_key_invalid");
		assertThat(problem.get("title").stringValue()).isEqualTo("Доступ запрещён");
		assertThat(problem.get("detail").stringValue()).isEqualTo("Неверный ключ сайта");
		JsonNode badType = json.readTree(type.body());
		assertThat(badType.get("code").stringValue()).isEqualTo("captcha_bad_request");
		assertThat(badType.get("detail").stringValue()).isEqualTo("type должен быть image, math, grid или pow");
		JsonNode badMethod = json.readTree(method.body());
		assertThat(method.statusCode()).isEqualTo(405);
		assertThat(badMethod.get("title").stringValue()).isEqualTo("Метод не разрешён");
	}

	@Test
	void routeWhenApplicationMessageSourceOverridesAKeyThenItsTextWinsAndTheOthersStayBundled() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/login/local"))
			.header("Accept-Language", "de")
			.header("X-Captcha-Token", "not a token")
			.POST(HttpRequest.BodyPublishers.noBody()));

		JsonNode problem = json.readTree(response.body());
		assertThat(problem.get("code").stringValue()).isEqualTo("captcha_malformed");
		assertThat(problem.get("title").stringValue()).isEqualTo(OVERRIDDEN);
		assertThat(problem.get("detail").stringValue())
			.isEqualTo(CaptchaMessages.bundled().message("captcha.error.captcha_malformed.detail", Locale.GERMAN));
		assertThat(response.headers().firstValue("Content-Language")).hasValue("de");
		// only German is overridden
		JsonNode english = json.readTree(send(HttpRequest.newBuilder(uri("/api/login/local"))
			.header("X-Captcha-Token", "not a token")
			.POST(HttpRequest.BodyPublishers.noBody())).body());
		assertThat(english.get("title").stringValue()).isEqualTo("The CAPTCHA token is malformed");
	}

	private HttpResponse<String> protectedRoute(@Nullable String acceptLanguage) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri("/api/login/local"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("username=alice"));
		if (acceptLanguage != null) {
			request.header("Accept-Language", acceptLanguage);
		}
		return send(request);
	}

	private HttpRequest.Builder post(String path, String body) {
		return HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.http.send(request.timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	/** The application's own messages: one German title overridden. */
	@Configuration(proxyBeanMethods = false)
	static class Overrides {

		@Bean
		MessageSource messageSource() {
			StaticMessageSource messages = new StaticMessageSource();
			messages.addMessage("captcha.error.captcha_malformed.title", Locale.GERMAN, OVERRIDDEN);
			return messages;
		}

	}

}
