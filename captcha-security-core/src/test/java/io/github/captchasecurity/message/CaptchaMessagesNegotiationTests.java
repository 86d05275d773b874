package io.github.captchasecurity.message;

import java.util.Locale;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Choosing the language of an answer from {@code Accept-Language}: the best supported
 * range wins, regional variants map to their language, anything else is English.
 */
class CaptchaMessagesNegotiationTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "de|de", "de-DE|de", "de-CH,de;q=0.9|de", "ja|ja", "ja-JP|ja", "zh-CN|zh", "zh-Hans-CN|zh",
					"zh-TW|zh", "pt-BR|pt", "pt-PT|pt", "ru|ru", "es-419|es", "fr-CA,en;q=0.5|fr", "en-US|en",
					"it,de;q=0.8,en;q=0.5|de", "en;q=0.4,fr;q=0.9|fr", "de;q=0,fr|fr", "*|en", "it|en", "x-klingon|en",
					"DE|de" })
	void negotiateWhenHeaderThenBestSupportedLanguage(String header, String expected) {
		assertThat(CaptchaMessages.negotiate(header)).isEqualTo(Locale.forLanguageTag(expected));
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { ";;;", "de;q=abc", "1234567890123" })
	void negotiateWhenHeaderAbsentOrMalformedThenEnglish(String header) {
		assertThat(CaptchaMessages.negotiate(header)).isEqualTo(Locale.ENGLISH);
	}

	@ParameterizedTest
	@ValueSource(ints = { 1025, 100_000 })
	void negotiateWhenHeaderOverlongThenEnglishWithoutParsingIt(int length) {
		assertThat(CaptchaMessages.negotiate("de," + "a".repeat(length))).isEqualTo(Locale.ENGLISH);
	}

}
