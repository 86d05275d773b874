package io.github.captchasecurity.message;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The messages of the bundled UTF-8 properties files, without falling back to the JVM's
 * default locale: a key missing in a language falls back to the English base file, a key
 * missing there to the key itself.
 */
final class BundledCaptchaMessages implements CaptchaMessages {

	static final BundledCaptchaMessages INSTANCE = new BundledCaptchaMessages();

	private static final ResourceBundle.Control CONTROL = ResourceBundle.Control
		.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

	private BundledCaptchaMessages() {
	}

	@Override
	public String message(String key, Locale locale, Object... args) {
		String pattern;
		try {
			pattern = ResourceBundle
				.getBundle(BASE_NAME, locale, BundledCaptchaMessages.class.getClassLoader(), CONTROL)
				.getString(key);
		}
		catch (MissingResourceException ex) {
			return key;
		}
		return format(pattern, locale, args);
	}

	// Format a text as Spring's MessageSource does by default: a MessageFormat pattern
	// when there are
	// arguments, else the text as it is.
	static String format(String pattern, Locale locale, Object... args) {
		return (args.length == 0) ? pattern : new MessageFormat(pattern, locale).format(args);
	}

	@Override
	public String toString() {
		return "BundledCaptchaMessages[" + BASE_NAME + "]";
	}

}
