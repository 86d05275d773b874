package io.github.captchasecurity.security.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.captchasecurity.CaptchaRule;
import io.github.captchasecurity.VerificationContext;
import io.github.captchasecurity.VerificationListener;
import io.github.captchasecurity.VerificationResult;
import io.github.captchasecurity.annotation.RequireCaptcha;
import io.github.captchasecurity.autoconfigure.CaptchaAutoConfiguration;
import io.github.captchasecurity.event.CaptchaEvent;
import io.github.captchasecurity.provider.builtin.BuiltinCaptchaService;
import io.github.captchasecurity.provider.builtin.CaffeineChallengeStore;
import io.github.captchasecurity.provider.builtin.Challenge;
import io.github.captchasecurity.provider.builtin.ChallengeStore;
import io.github.captchasecurity.provider.builtin.GeneratedChallenge;
import io.github.captchasecurity.servlet.CaptchaVerificationFilter;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.DefaultAuthenticationEventPublisher;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

import static io.github.captchasecurity.security.config.CaptchaConfigurer.captcha;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;

/**
 * What the Spring Security scenarios share: a context runner with the auto-configuration
 * and a built-in provider with a fixed signing key, beans every scenario imports (users,
 * controller, a challenge store that remembers the answers, collectors of verifications
 * and events), real built-in pass tokens, and MockMvc wired like a servlet container (the
 * standalone CAPTCHA filter registration ahead of the Spring Security filter chain).
 */
final class CaptchaSecurityScenarios {

	/** A 256-bit key, base64. */
	static final String SIGNING_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

	static final String SITE_KEY = "demo";

	static final String[] BUILTIN = { "captcha.providers.local.type=builtin", "captcha.builtin.site-keys=" + SITE_KEY,
			"captcha.builtin.signing-key=" + SIGNING_KEY };

	private static final JsonMapper json = JsonMapper.builder().build();

	private CaptchaSecurityScenarios() {
	}

	static WebApplicationContextRunner runner() {
		return new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CaptchaAutoConfiguration.class))
			.withPropertyValues(BUILTIN);
	}

	/**
	 * MockMvc as a servlet container would filter: the standalone CAPTCHA filter
	 * registration (order -101), then the Spring Security filter chain (order -100).
	 */
	static MockMvc mockMvc(AssertableWebApplicationContext context) {
		assertThat(context).hasNotFailed();
		WebApplicationContext web = context.getSourceApplicationContext();
		FilterRegistrationBean<?> standalone = web.getBean("captchaVerificationFilterRegistration",
				FilterRegistrationBean.class);
		return MockMvcBuilders.webAppContextSetup(web)
			.addFilters(standalone.getFilter())
			.apply(springSecurity())
			.build();
	}

	/** Send the request from this socket peer. */
	static RequestPostProcessor from(String remoteAddr) {
		return (request) -> {
			request.setRemoteAddr(remoteAddr);
			return request;
		};
	}

	/**
	 * A real pass token: a math challenge generated for the action from the client IP,
	 * solved and validated from that IP.
	 */
	static String passToken(AssertableWebApplicationContext context, @Nullable String action, String clientIp) {
		return passToken(context, "math", action, clientIp);
	}

	/**
	 * A real pass token of the given challenge type: generated for the action from the
	 * client IP, solved and validated from that IP.
	 */
	static String passToken(AssertableWebApplicationContext context, String type, @Nullable String action,
			String clientIp) {
		BuiltinCaptchaService service = context.getBean(BuiltinCaptchaService.class);
		GeneratedChallenge challenge = service.generate(SITE_KEY, type, null, action, clientIp);
		String token = "pow".equals(type)
				? service.validate(SITE_KEY, challenge.captchaId(), solvePow(challenge.pow()), clientIp)
				: solve(context, challenge.captchaId(), clientIp);
		assertThat(token).as("pass token").isNotNull().startsWith("eyJ");
		return token;
	}

	/**
	 * Brute-force a proof-of-work challenge into the payload the widget would send, as a
	 * script does.
	 */
	static String solvePow(Map<String, Object> pow) {
		String salt = (String) pow.get("salt");
		String challenge = (String) pow.get("challenge");
		try {
			MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
			for (int number = 0; number <= (Integer) pow.get("maxnumber"); number++) {
				byte[] hash = sha256.digest((salt + number).getBytes(StandardCharsets.UTF_8));
				if (HexFormat.of().formatHex(hash).equals(challenge)) {
					Map<String, Object> payload = new LinkedHashMap<>(pow);
					payload.remove("maxnumber");
					payload.put("number", number);
					return Base64.getEncoder().encodeToString(json.writeValueAsBytes(payload));
				}
			}
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
		throw new IllegalStateException("no solution");
	}

	/**
	 * Answer an issued challenge of type image, math or grid right, as the client at this
	 * IP.
	 */
	static @Nullable String solve(AssertableWebApplicationContext context, String captchaId, String clientIp) {
		Challenge issued = context.getBean(RecordingChallengeStore.class).issued(captchaId);
		assertThat(issued).as("challenge " + captchaId).isNotNull();
		return context.getBean(BuiltinCaptchaService.class).validate(SITE_KEY, captchaId, issued.answer(), clientIp);
	}

	static JsonNode problem(MvcResult result) throws Exception {
		assertThat(result.getResponse().getContentType()).startsWith("application/problem+json");
		return json.readTree(result.getResponse().getContentAsString());
	}

	static JsonNode body(MvcResult result) throws Exception {
		return json.readTree(result.getResponse().getContentAsString());
	}

	static int controllerCalls(AssertableWebApplicationContext context) {
		return context.getBean(ScenarioController.class).calls.get();
	}

	/**
	 * Beans every scenario imports: Spring MVC, the users alice/wonderland and
	 * bob/builder, the authentication event publisher Spring Boot's security
	 * auto-configuration would define, a challenge store that remembers what it issued,
	 * collectors of verifications and events, and the controller.
	 */
	@Configuration(proxyBeanMethods = false)
	@Import(WithoutAuthenticationEvents.class)
	static class CommonBeans {

		@Bean
		AuthenticationEventPublisher authenticationEventPublisher() {
			return new DefaultAuthenticationEventPublisher();
		}

	}

	/**
	 * {@link CommonBeans} without the authentication event publisher: what an application
	 * has that does not use Spring Boot's security auto-configuration and defines none.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableWebMvc
	@Import(ScenarioController.class)
	static class WithoutAuthenticationEvents {

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager(User.withUsername("alice").password("{noop}wonderland").build(),
					User.withUsername("bob").password("{noop}builder").build());
		}

		@Bean
		RecordingChallengeStore captchaChallengeStore() {
			return new RecordingChallengeStore();
		}

		@Bean
		CountingVerificationListener countingVerificationListener() {
			return new CountingVerificationListener();
		}

		@Bean
		CaptchaEventCollector captchaEventCollector() {
			return new CaptchaEventCollector();
		}

	}

	@RestController
	static class ScenarioController {

		final AtomicInteger calls = new AtomicInteger();

		@GetMapping("/")
		String home() {
			this.calls.incrementAndGet();
			return "home";
		}

		@PostMapping({ "/api/pay", "/api/transfer", "/api/contact", "/api/both", "/api/routed" })
		Map<String, @Nullable Object> protectedRoute(HttpServletRequest request) {
			this.calls.incrementAndGet();
			VerificationResult result = (VerificationResult) request
				.getAttribute(CaptchaVerificationFilter.RESULT_ATTRIBUTE);
			Map<String, @Nullable Object> answer = new LinkedHashMap<>();
			answer.put("provider", (result != null) ? result.provider() : null);
			answer.put("score", (result != null) ? result.score() : null);
			return answer;
		}

		@PostMapping("/api/annotated")
		@RequireCaptcha(action = "annotated")
		String annotated() {
			this.calls.incrementAndGet();
			return "annotated";
		}

		@PostMapping("/api/open")
		String open() {
			this.calls.incrementAndGet();
			return "open";
		}

	}

	/**
	 * Keeps challenges in Caffeine and remembers each one issued, so tests can answer it.
	 */
	static final class RecordingChallengeStore implements ChallengeStore {

		private final ChallengeStore delegate = new CaffeineChallengeStore(10_000);

		private final Map<String, Challenge> issued = new ConcurrentHashMap<>();

		@Override
		public void save(Challenge challenge, Duration ttl) {
			this.issued.put(challenge.id(), challenge);
			this.delegate.save(challenge, ttl);
		}

		@Override
		public @Nullable Challenge take(String id) {
			return this.delegate.take(id);
		}

		@Nullable Challenge issued(String id) {
			return this.issued.get(id);
		}

	}

	/** Counts the verification engine's decisions. */
	static final class CountingVerificationListener implements VerificationListener {

		final List<VerificationResult> results = new CopyOnWriteArrayList<>();

		@Override
		public void onVerification(CaptchaRule rule, VerificationResult result, VerificationContext context) {
			this.results.add(result);
		}

	}

	/** Collects the CAPTCHA application events. */
	static final class CaptchaEventCollector implements ApplicationListener<CaptchaEvent> {

		final List<CaptchaEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(CaptchaEvent event) {
			this.events.add(event);
		}

	}

	/**
	 * A form-login chain whose {@code POST /api/transfer} needs a server-issued challenge
	 * (action transfer).
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	@Import(CommonBeans.class)
	static class TicketConfig {

		@Bean
		SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests(
					(requests) -> requests.requestMatchers("/api/**").permitAll().anyRequest().authenticated())
				.csrf((csrf) -> csrf.ignoringRequestMatchers("/api/**"))
				.formLogin(Customizer.withDefaults())
				.with(captcha(),
						(captcha) -> captcha.requireOn("/api/transfer")
							.methods("POST")
							.provider("local")
							.action("transfer")
							.serverChallenge());
			return http.build();
		}

	}

}
