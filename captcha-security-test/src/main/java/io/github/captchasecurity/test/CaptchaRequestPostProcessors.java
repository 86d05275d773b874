package io.github.captchasecurity.test;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.ProviderPolicy;
import io.github.captchasecurity.servlet.CaptchaVerificationFilter;
import io.github.captchasecurity.token.DefaultCaptchaTokenResolver;
import jakarta.servlet.ServletContext;
import org.jspecify.annotations.Nullable;

import org.springframework.core.env.Environment;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.util.StringUtils;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.context.support.WebApplicationContextUtils;

/**
 * MockMvc request post-processors that add a {@link CaptchaTestProvider} token to a
 * request the way the application reads it: a form field for form bodies
 * ({@code application/x-www-form-urlencoded}, {@code multipart/form-data}), the JSON
 * member {@code captcha.token.json-field} for JSON bodies, else the header
 * {@code captcha.token.header}; names come from the application's configuration. Each
 * request gets a new token, so the replay check never refuses a test's second request.
 * They work with {@code MockMvc} and {@code MockMvcTester} alike: <pre>{@code
 * mvc.perform(post("/contact").with(captcha()));
 * tester.post().uri("/login").with(csrf()).with(captcha("pass:login:0.9")).exchange();
 * }</pre> Set the request's content type and body before {@code with(captcha())}.
 *
 * @since 0.1.0
 */
public final class CaptchaRequestPostProcessors {

	private CaptchaRequestPostProcessors() {
	}

	/**
	 * A new token that passes every route.
	 * @return the post-processor
	 */
	public static CaptchaRequestPostProcessor captcha() {
		return captcha(CaptchaTestTokens.PASS);
	}

	/**
	 * A new token with the given meaning.
	 * @param meaning {@code pass[:action[:score[:hostname]]]}, {@code fail},
	 * {@code expired} or {@code unavailable} (see {@link CaptchaTestProvider})
	 * @return the post-processor
	 */
	public static CaptchaRequestPostProcessor captcha(String meaning) {
		CaptchaTestTokens.fresh(meaning);
		return new CaptchaRequestPostProcessor(meaning, null);
	}

	/**
	 * Exactly the given token, every time: send it twice to see the second request
	 * refused with {@code captcha_replayed}.
	 * @param token the token, such as {@code pass#replayed}
	 * @return the post-processor
	 */
	public static CaptchaRequestPostProcessor captchaToken(String token) {
		Objects.requireNonNull(token, "token");
		return new CaptchaRequestPostProcessor(null, token);
	}

	/**
	 * Adds a test token to a MockMvc request. Not thread-safe.
	 *
	 * @since 0.1.0
	 */
	public static final class CaptchaRequestPostProcessor implements RequestPostProcessor {

		private static final String FORM_FIELD = "captcha-token";

		private final @Nullable String meaning;

		private final @Nullable String token;

		private @Nullable String provider;

		private @Nullable Place place;

		private CaptchaRequestPostProcessor(@Nullable String meaning, @Nullable String token) {
			this.meaning = meaning;
			this.token = token;
		}

		/**
		 * Name the provider that must check the token, on routes that accept several: its
		 * widget's form field carries the token in a form body, else the
		 * {@value CaptchaVerificationFilter#PROVIDER_HEADER} header names it. Default:
		 * none, the route's first provider.
		 * @param provider the provider name
		 * @return this post-processor
		 */
		public CaptchaRequestPostProcessor provider(String provider) {
			this.provider = Objects.requireNonNull(provider, "provider");
			return this;
		}

		/**
		 * Send the token in the header, whatever the body.
		 * @return this post-processor
		 */
		public CaptchaRequestPostProcessor inHeader() {
			this.place = Place.HEADER;
			return this;
		}

		/**
		 * Send the token as a form field, whatever the content type.
		 * @return this post-processor
		 */
		public CaptchaRequestPostProcessor inFormField() {
			this.place = Place.FORM;
			return this;
		}

		@Override
		public MockHttpServletRequest postProcessRequest(MockHttpServletRequest request) {
			String value = (this.token != null) ? this.token
					: CaptchaTestTokens.fresh(Objects.requireNonNull(this.meaning));
			WebApplicationContext context = context(request.getServletContext());
			Environment environment = (context != null) ? context.getEnvironment() : null;
			String jsonField = property(environment, "captcha.token.json-field",
					DefaultCaptchaTokenResolver.DEFAULT_JSON_FIELD);
			Place where = (this.place != null) ? this.place : place(request.getContentType(), jsonField);
			switch (where) {
				case FORM -> request.addParameter(formField(context, environment), value);
				case JSON -> {
					request.setContent(
							withMember(request.getContentAsByteArray(), Objects.requireNonNull(jsonField), value));
					providerHeader(request);
				}
				case HEADER -> {
					String header = property(environment, "captcha.token.header", null);
					request.addHeader((header != null) ? header : DefaultCaptchaTokenResolver.DEFAULT_HEADER, value);
					providerHeader(request);
				}
			}
			return request;
		}

		private void providerHeader(MockHttpServletRequest request) {
			if (this.provider != null) {
				request.addHeader(CaptchaVerificationFilter.PROVIDER_HEADER, this.provider);
			}
		}

		private static Place place(@Nullable String contentType, @Nullable String jsonField) {
			String type = (contentType != null) ? contentType.toLowerCase(Locale.ROOT) : "";
			if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data")) {
				return Place.FORM;
			}
			if (jsonField != null && (type.startsWith("application/json") || type.matches("[^;]*\\+json.*"))) {
				return Place.JSON;
			}
			return Place.HEADER;
		}

		// The provider's widget field, else the first configured field.
		private String formField(@Nullable WebApplicationContext context, @Nullable Environment environment) {
			if (context != null) {
				CaptchaVerificationService service = context.getBeanProvider(CaptchaVerificationService.class)
					.getIfUnique();
				String name = (this.provider != null) ? this.provider
						: (service != null) ? service.defaultProvider() : null;
				ProviderPolicy policy = (service != null && name != null) ? service.provider(name) : null;
				if (policy != null && StringUtils.hasText(policy.formField())) {
					return policy.formField().trim();
				}
			}
			String first = property(environment, "captcha.token.form-fields[0]", null);
			if (first == null) {
				String list = property(environment, "captcha.token.form-fields", null);
				first = (list != null) ? StringUtils.commaDelimitedListToStringArray(list)[0].trim() : null;
			}
			return (first != null && !first.isEmpty()) ? first : FORM_FIELD;
		}

		private static byte[] withMember(byte @Nullable [] body, String field, String token) {
			String json = (body != null) ? new String(body, StandardCharsets.UTF_8).trim() : "";
			String member = "\"" + field + "\":\"" + token + "\"";
			if (json.isEmpty()) {
				return ("{" + member + "}").getBytes(StandardCharsets.UTF_8);
			}
			if (!json.startsWith("{")) {
				throw new IllegalStateException(
						"captcha(): the JSON body is not an object; send the token " + "with inHeader()");
			}
			String rest = json.substring(1).trim();
			return ("{" + member + (rest.startsWith("}") ? "" : ",") + rest).getBytes(StandardCharsets.UTF_8);
		}

		private static @Nullable String property(@Nullable Environment environment, String name,
				@Nullable String fallback) {
			String value = (environment != null) ? environment.getProperty(name) : null;
			if (value == null) {
				return fallback;
			}
			return StringUtils.hasText(value) ? value.trim() : null;
		}

		private static @Nullable WebApplicationContext context(@Nullable ServletContext servletContext) {
			return (servletContext != null) ? WebApplicationContextUtils.getWebApplicationContext(servletContext)
					: null;
		}

		private enum Place {

			HEADER, FORM, JSON

		}

	}

}
