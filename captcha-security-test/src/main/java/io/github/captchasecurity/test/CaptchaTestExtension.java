package io.github.captchasecurity.test;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.ProviderPolicy;
import io.github.captchasecurity.replay.CaffeineReplayCache;
import io.github.captchasecurity.servlet.CaptchaRuleResolver;
import io.github.captchasecurity.servlet.CaptchaVerificationFilter;
import io.github.captchasecurity.token.DefaultCaptchaTokenResolver;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension for applications that use core's {@link CaptchaVerificationFilter}
 * without Spring: before each test it builds a {@link CaptchaVerificationService} whose
 * providers (one named {@value #DEFAULT_PROVIDER} unless told otherwise) verify with the
 * {@link CaptchaTestProvider}, with a replay cache of its own, and hands out a ready
 * filter. Test methods may declare parameters of type {@link CaptchaVerificationService},
 * {@link CaptchaVerificationFilter} (every request needs a token of the default provider)
 * and {@link CaptchaTestProvider}. <pre>
 * &#64;RegisterExtension
 * static CaptchaTestExtension captcha = CaptchaTestExtension.withProviders("google", "hcaptcha");
 *
 * &#64;Test
 * void contactNeedsACaptcha() throws Exception {
 *     Filter filter = captcha.filter((request) -&gt; new CaptchaRule("google", "contact", 0.5));
 *     ...
 * }
 * </pre> Or simply {@code @ExtendWith(CaptchaTestExtension.class)}. The instance's
 * service and filters are those of the running test: do not run the methods of one class
 * in parallel.
 *
 * @since 0.1.0
 */
public final class CaptchaTestExtension implements BeforeEachCallback, ParameterResolver {

	/** The provider name when none is given. */
	public static final String DEFAULT_PROVIDER = "test";

	private final List<String> providers;

	private final CaptchaTestProvider provider = new CaptchaTestProvider();

	private Consumer<CaptchaVerificationService.Builder> customizer = (builder) -> {
	};

	private @Nullable CaptchaVerificationService service;

	/**
	 * Create the extension with one provider, {@value #DEFAULT_PROVIDER}.
	 */
	public CaptchaTestExtension() {
		this(List.of(DEFAULT_PROVIDER));
	}

	private CaptchaTestExtension(List<String> providers) {
		this.providers = List.copyOf(providers);
	}

	/**
	 * Create the extension with providers of the given names (the first is the default),
	 * each verified by the {@link CaptchaTestProvider}.
	 * @param names the provider names, at least one
	 * @return the extension
	 */
	public static CaptchaTestExtension withProviders(String... names) {
		if (names.length == 0) {
			throw new IllegalArgumentException("at least one provider name is needed");
		}
		return new CaptchaTestExtension(List.of(names));
	}

	/**
	 * Customize the engine built before each test (escalation, abuse control, listeners,
	 * ...), after the providers are added.
	 * @param customizer the customizer
	 * @return this extension
	 */
	public CaptchaTestExtension customize(Consumer<CaptchaVerificationService.Builder> customizer) {
		this.customizer = Objects.requireNonNull(customizer, "customizer");
		return this;
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		CaptchaVerificationService.Builder builder = CaptchaVerificationService.builder()
			.replayCache(new CaffeineReplayCache(10_000));
		for (String name : this.providers) {
			builder.provider(ProviderPolicy.builder(name, this.provider).build());
		}
		this.customizer.accept(builder);
		this.service = builder.build();
	}

	/**
	 * The engine of the running test.
	 * @return the engine
	 * @throws IllegalStateException outside a test
	 */
	public CaptchaVerificationService verificationService() {
		if (this.service == null) {
			throw new IllegalStateException("CaptchaTestExtension: no test is running");
		}
		return this.service;
	}

	/**
	 * The provider that verifies every token.
	 * @return the provider
	 */
	public CaptchaTestProvider provider() {
		return this.provider;
	}

	/**
	 * A filter of the running test's engine that protects the requests the resolver gives
	 * a rule for, reading tokens with a {@link DefaultCaptchaTokenResolver} (header
	 * {@code X-Captcha-Token}, form fields, JSON member {@code captchaToken}).
	 * @param rules the rules
	 * @return the filter
	 */
	public CaptchaVerificationFilter filter(CaptchaRuleResolver rules) {
		return new CaptchaVerificationFilter(rules, new DefaultCaptchaTokenResolver(), verificationService());
	}

	/**
	 * A filter that requires a CAPTCHA of the default provider on every request.
	 * @return the filter
	 */
	public CaptchaVerificationFilter filter() {
		return filter((request) -> CaptchaRule.defaults());
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		Class<?> type = parameterContext.getParameter().getType();
		return type == CaptchaVerificationService.class || type == CaptchaVerificationFilter.class
				|| type == CaptchaTestProvider.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		Class<?> type = parameterContext.getParameter().getType();
		if (type == CaptchaVerificationService.class) {
			return verificationService();
		}
		return (type == CaptchaVerificationFilter.class) ? filter() : this.provider;
	}

}
