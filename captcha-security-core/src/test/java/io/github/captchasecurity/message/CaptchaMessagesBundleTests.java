package io.github.captchasecurity.message;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.captchasecurity.VerificationOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundled messages, language by language, read straight from the properties files (no
 * fallback to English can hide a missing key): every English key exists in every
 * language, with a non-blank translation that is not the English text, with the same
 * placeholders.
 */
class CaptchaMessagesBundleTests {

	private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\d+)[^}]*}");

	/**
	 * Texts that are the same word in a language as in English, checked by a person.
	 */
	private static final Set<String> SAME_AS_ENGLISH = Set.of("es:captcha.status.other");

	@ParameterizedTest
	@ValueSource(strings = { "de", "es", "fr", "ja", "pt", "ru", "zh" })
	void bundleWhenReadWithoutFallbackThenHasEveryEnglishKeyTranslatedWithTheSamePlaceholders(String language)
			throws IOException {
		Map<String, String> english = read("messages.properties");
		Map<String, String> translated = read("messages_" + language + ".properties");

		assertThat(translated.keySet()).as(language + " keys").containsExactlyInAnyOrderElementsOf(english.keySet());
		for (Map.Entry<String, String> entry : english.entrySet()) {
			String key = entry.getKey();
			String text = translated.get(key);
			assertThat(text).as(language + " " + key).isNotBlank();
			if (!SAME_AS_ENGLISH.contains(language + ":" + key)) {
				assertThat(text).as(language + " " + key + " is still English").isNotEqualTo(entry.getValue());
			}
			assertThat(placeholders(text)).as(language + " " + key + " placeholders")
				.isEqualTo(placeholders(entry.getValue()));
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "en", "de", "es", "fr", "ja", "pt", "ru", "zh" })
	void bundleWhenTextHasArgumentsThenNoPlainApostropheThatMessageFormatWouldSwallow(String language)
			throws IOException {
		read(language.equals("en") ? "messages.properties" : "messages_" + language + ".properties")
			.forEach((key, text) -> {
				if (!placeholders(text).isEmpty()) {
					assertThat(text).as(language + " " + key).doesNotContain("'");
				}
			});
	}

	@ParameterizedTest
	@ValueSource(strings = { "de", "es", "fr", "ja", "pt", "ru", "zh" })
	void resourceBundleWhenLoadedWithoutFallbackControlThenFoundForTheLanguageItself(String language) {
		ResourceBundle bundle = ResourceBundle.getBundle(CaptchaMessages.BASE_NAME, Locale.forLanguageTag(language),
				ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));

		assertThat(bundle.getLocale().getLanguage()).isEqualTo(language);
	}

	@Test
	void englishBundleWhenReadThenHasTitleAndDetailOfEveryErrorCodeAndEveryQuestion() throws IOException {
		Map<String, String> english = read("messages.properties");

		for (VerificationOutcome outcome : VerificationOutcome.values()) {
			if (outcome.code() != null) {
				assertThat(english).containsKey(CaptchaMessages.titleKey(outcome.code()))
					.containsKey(CaptchaMessages.detailKey(outcome.code()));
				// the English titles are the outcomes' own
				assertThat(english.get(CaptchaMessages.titleKey(outcome.code()))).isEqualTo(outcome.title());
			}
		}
		for (int status : new int[] { 400, 403, 404, 405, 413, 429, 503, 500 }) {
			assertThat(english).containsKey(CaptchaMessages.statusKey(status));
		}
		assertThat(english).containsKeys("captcha.math.question", "captcha.grid.question.circle",
				"captcha.grid.question.moon", "captcha.grid.question.triangle", "captcha.grid.question.star",
				"captcha.grid.question.cross", "captcha.grid.question.heart");
	}

	@Test
	void bundledWhenAskedInEachLanguageThenThatLanguageAndArgumentsFilledIn() {
		CaptchaMessages messages = CaptchaMessages.bundled();

		assertThat(messages.message("captcha.error.captcha_invalid.title", Locale.GERMAN))
			.isEqualTo("Das CAPTCHA-Token ist ungültig");
		assertThat(messages.message("captcha.math.question", Locale.FRENCH, "3", "+", "4"))
			.isEqualTo("Combien font 3 + 4 ?");
		assertThat(messages.message("captcha.math.question", Locale.ENGLISH, "3", "+", "4"))
			.isEqualTo("What is 3 + 4?");
		assertThat(messages.message("captcha.error.captcha_missing.title", Locale.JAPANESE))
			.isEqualTo("CAPTCHA トークンが送信されていません");
		assertThat(messages.message("captcha.error.captcha_missing.title", Locale.CHINESE)).isEqualTo("未发送 CAPTCHA 令牌");
		// a text without arguments is used as it is, apostrophes included
		assertThat(messages.message("captcha.error.captcha_escalation_required.detail", Locale.ENGLISH))
			.contains("'challenge'");
	}

	@Test
	void bundledWhenKeyOrLanguageUnknownThenEnglishElseTheKeyNeverTheJvmLocale() {
		Locale jvm = Locale.getDefault();
		Locale.setDefault(Locale.GERMAN);
		try {
			CaptchaMessages messages = CaptchaMessages.bundled();
			assertThat(messages.message("captcha.error.captcha_invalid.title", Locale.ITALIAN))
				.isEqualTo("The CAPTCHA token is not valid");
			assertThat(messages.message("captcha.nope", Locale.GERMAN)).isEqualTo("captcha.nope");
		}
		finally {
			Locale.setDefault(jvm);
		}
	}

	private static Map<String, String> read(String file) throws IOException {
		try (InputStream in = CaptchaMessages.class.getResourceAsStream("/io/github/captchasecurity/" + file)) {
			assertThat(in).as(file).isNotNull();
			Properties properties = new Properties();
			properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
			Map<String, String> map = new TreeMap<>();
			properties.forEach((key, value) -> map.put((String) key, (String) value));
			return map;
		}
	}

	private static Set<String> placeholders(String text) {
		Set<String> found = new TreeSet<>();
		Matcher matcher = PLACEHOLDER.matcher(text);
		while (matcher.find()) {
			found.add(matcher.group(1));
		}
		return found;
	}

}
