package io.github.captchasecurity.autoconfigure;

import java.util.Locale;

import io.github.captchasecurity.message.CaptchaMessages;
import org.jspecify.annotations.Nullable;

import org.springframework.context.MessageSource;
import org.springframework.context.support.ResourceBundleMessageSource;

/**
 * {@link CaptchaMessages} backed by Spring's {@link MessageSource}: the application's own
 * messages first (its {@code messages.properties} or {@code MessageSource} bean), so any
 * key can be overridden or extended, then the bundled UTF-8 files under
 * {@link CaptchaMessages#BASE_NAME}, read without falling back to the JVM's locale.
 */
final class MessageSourceCaptchaMessages implements CaptchaMessages {

	private final @Nullable MessageSource application;

	private final ResourceBundleMessageSource bundled = new ResourceBundleMessageSource();

	MessageSourceCaptchaMessages(@Nullable MessageSource application) {
		this.application = application;
		this.bundled.setBasename(BASE_NAME);
		this.bundled.setDefaultEncoding("UTF-8");
		this.bundled.setFallbackToSystemLocale(false);
		this.bundled.setBundleClassLoader(CaptchaMessages.class.getClassLoader());
	}

	@Override
	public String message(String key, Locale locale, Object... args) {
		if (this.application != null) {
			String text = this.application.getMessage(key, args, null, locale);
			// a source that answers with the code for unknown keys knows nothing of it
			if (text != null && !text.equals(key)) {
				return text;
			}
		}
		String text = this.bundled.getMessage(key, args, null, locale);
		return (text != null) ? text : key;
	}

	@Override
	public String toString() {
		return "MessageSourceCaptchaMessages[application first, then " + BASE_NAME + "]";
	}

}
