package io.github.captchasecurity.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Resolves the texts the server answers with by key, language and arguments. The default,
 * {@link #bundled()}, reads the UTF-8 properties files under {@link #BASE_NAME}
 * ({@code io/github/captchasecurity/messages.properties}, English, and
 * {@code messages_de.properties} ... {@code messages_zh.properties}); the starter backs
 * it with Spring's {@code MessageSource}, so an application's own
 * {@code messages.properties} can override or extend any key.
 * <p>
 * As with Spring's {@code MessageSource}, a text with arguments is a
 * {@link java.text.MessageFormat} pattern ({@code {0}}; an apostrophe is written
 * {@code ''}), a text without arguments is used as it is. The keys:
 * <ul>
 * <li>{@code captcha.error.CODE.title} and {@code captcha.error.CODE.detail}: the problem
 * answer of a rejected request, per stable error code ({@link #titleKey},
 * {@link #detailKey}); the title is also the Spring Security login error message;</li>
 * <li>{@code captcha.status.<status>} ({@code 400}, {@code 403}, {@code 404},
 * {@code 405}, {@code 413}, {@code 429}, {@code 503}, else {@code other}): the title of
 * built-in API errors;</li>
 * <li>{@code captcha.api.*}: the details of built-in API errors;</li>
 * <li>{@code captcha.math.question} ({@code {0} {1} {2}}: operand, operator, operand) and
 * {@code captcha.grid.question.<shape>}: the questions of built-in challenges.</li>
 * </ul>
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface CaptchaMessages {

	/**
	 * The base name of the bundled messages, as {@code ResourceBundle} and Spring's
	 * {@code ResourceBundleMessageSource} take it.
	 */
	String BASE_NAME = "io.github.captchasecurity.messages";

	/**
	 * The languages the bundled messages are written in: English (the default), German,
	 * Spanish, French, Japanese, Portuguese, Russian and Chinese (simplified).
	 */
	List<Locale> SUPPORTED_LOCALES = List.of(Locale.ENGLISH, Locale.GERMAN, Locale.forLanguageTag("es"), Locale.FRENCH,
			Locale.JAPANESE, Locale.forLanguageTag("pt"), Locale.forLanguageTag("ru"), Locale.CHINESE);

	/**
	 * Return a text.
	 * @param key the key, such as {@code captcha.error.captcha_invalid.title}
	 * @param locale the language, one of {@link #SUPPORTED_LOCALES}
	 * @param args the arguments of the text's placeholders
	 * @return the text; never null (the English text, else the key, when none is found)
	 */
	String message(String key, Locale locale, Object... args);

	/**
	 * Return the messages read from the bundled properties files.
	 * @return the bundled messages
	 */
	static CaptchaMessages bundled() {
		return BundledCaptchaMessages.INSTANCE;
	}

	/**
	 * Return the key of the title of a rejection.
	 * @param code the stable error code, such as {@code captcha_invalid}
	 * @return the key
	 */
	static String titleKey(String code) {
		return "captcha.error." + code + ".title";
	}

	/**
	 * Return the key of the detail of a rejection.
	 * @param code the stable error code, such as {@code captcha_invalid}
	 * @return the key
	 */
	static String detailKey(String code) {
		return "captcha.error." + code + ".detail";
	}

	/**
	 * Return the key of the title of a built-in API error.
	 * @param status the HTTP status
	 * @return {@code captcha.status.<status>} for 400, 403, 404, 405, 413, 429 and 503,
	 * else {@code captcha.status.other}
	 */
	static String statusKey(int status) {
		return switch (status) {
			case 400, 403, 404, 405, 413, 429, 503 -> "captcha.status." + status;
			default -> "captcha.status.other";
		};
	}

	/**
	 * Return the supported language of a locale: {@code de-CH} is German, {@code zh-CN}
	 * and {@code zh-TW} are Chinese, {@code pt-BR} is Portuguese.
	 * @param locale the locale, or null
	 * @return the supported language, or null if the locale has none of them
	 */
	static @Nullable Locale supported(@Nullable Locale locale) {
		if (locale == null) {
			return null;
		}
		String language = locale.getLanguage();
		for (Locale supported : SUPPORTED_LOCALES) {
			if (supported.getLanguage().equals(language)) {
				return supported;
			}
		}
		return null;
	}

	/**
	 * Choose the language of an answer from an {@code Accept-Language} header (RFC 9110):
	 * the supported language of the range with the highest weight, ranges of equal weight
	 * in the order given; English when the header is absent, malformed, over 1,024
	 * characters or names no supported language.
	 * @param acceptLanguage the header value, or null
	 * @return one of {@link #SUPPORTED_LOCALES}
	 */
	static Locale negotiate(@Nullable String acceptLanguage) {
		if (acceptLanguage == null || acceptLanguage.isBlank() || acceptLanguage.length() > 1024) {
			return Locale.ENGLISH;
		}
		List<Locale.LanguageRange> ranges;
		try {
			ranges = new ArrayList<>(Locale.LanguageRange.parse(acceptLanguage));
		}
		catch (IllegalArgumentException ex) {
			return Locale.ENGLISH;
		}
		for (Locale.LanguageRange range : ranges) {
			if (range.getWeight() <= 0.0 || range.getRange().equals("*")) {
				continue;
			}
			Locale language = supported(Locale.forLanguageTag(range.getRange()));
			if (language != null) {
				return language;
			}
		}
		return Locale.ENGLISH;
	}

}
