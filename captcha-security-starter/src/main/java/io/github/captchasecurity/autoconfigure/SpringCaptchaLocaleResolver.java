package io.github.captchasecurity.autoconfigure;

import java.util.Locale;

import io.github.captchasecurity.message.CaptchaMessages;
import io.github.captchasecurity.servlet.CaptchaLocaleResolver;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.i18n.AcceptHeaderLocaleResolver;

/**
 * Chooses the language of an answer with the application's Spring {@link LocaleResolver}
 * (a cookie, the session, a fixed locale), restricted to the supported languages. For
 * Spring Boot's default, the {@link AcceptHeaderLocaleResolver}, the
 * {@code Accept-Language} header is negotiated over all its ranges (a request asking for
 * Italian, then German gets German); without the header its default locale applies, else
 * English (never the server's own locale).
 */
final class SpringCaptchaLocaleResolver implements CaptchaLocaleResolver {

	private static final CaptchaLocaleResolver ACCEPT_LANGUAGE = CaptchaLocaleResolver.acceptLanguage();

	private final ObjectProvider<LocaleResolver> localeResolvers;

	SpringCaptchaLocaleResolver(ObjectProvider<LocaleResolver> localeResolvers) {
		this.localeResolvers = localeResolvers;
	}

	// The resolver asking the application's LocaleResolver bean, if any.
	static CaptchaLocaleResolver of(BeanFactory beanFactory) {
		return new SpringCaptchaLocaleResolver(beanFactory.getBeanProvider(LocaleResolver.class));
	}

	@Override
	public Locale resolveLocale(HttpServletRequest request) {
		LocaleResolver resolver = this.localeResolvers.getIfUnique();
		if (resolver instanceof AcceptHeaderLocaleResolver acceptHeader) {
			if (request.getHeader("Accept-Language") == null) {
				// its default locale if one is set; the container's own locale (what the
				// request reports without the header) is not the client's choice
				Locale fallback = acceptHeader.resolveLocale(request);
				Locale supported = fallback.equals(request.getLocale()) ? null : CaptchaMessages.supported(fallback);
				return (supported != null) ? supported : Locale.ENGLISH;
			}
			return ACCEPT_LANGUAGE.resolveLocale(request);
		}
		if (resolver != null) {
			Locale chosen;
			try {
				chosen = CaptchaMessages.supported(resolver.resolveLocale(request));
			}
			catch (RuntimeException ex) {
				chosen = null;
			}
			if (chosen != null) {
				return chosen;
			}
		}
		return ACCEPT_LANGUAGE.resolveLocale(request);
	}

}
