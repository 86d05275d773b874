package io.github.captchasecurity.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.captchasecurity.token.DefaultCaptchaTokenResolver;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of captcha-security, bound from {@code captcha.*}. Validated
 * at start-up by {@link CaptchaAutoConfiguration}; a bad value fails start-up with a
 * message naming the property.
 * <p>
 * This class is long on purpose: the javadoc of each field is the configuration metadata
 * that IDEs show, so every property keeps its description next to its declaration.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("captcha")
public class CaptchaProperties {

	/**
	 * Whether CAPTCHA verification is enabled.
	 */
	private boolean enabled = true;

	/**
	 * Name of the provider, an entry under captcha.providers, that routes and annotations
	 * use when they name none. Optional when exactly one provider is configured.
	 */
	private @Nullable String defaultProvider;

	/**
	 * Providers by name.
	 */
	private Map<String, Provider> providers = new LinkedHashMap<>();

	/**
	 * Protected routes, matched in order; the first match applies.
	 */
	private List<Route> routes = new ArrayList<>();

	private final Token token = new Token();

	private final Replay replay = new Replay();

	private final Http http = new Http();

	private final Builtin builtin = new Builtin();

	private final ClientIp clientIp = new ClientIp();

	private final Login login = new Login();

	private final Abuse abuse = new Abuse();

	private final TestKeys testKeys = new TestKeys();

	private final Store store = new Store();

	private final Health health = new Health();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getDefaultProvider() {
		return this.defaultProvider;
	}

	public void setDefaultProvider(@Nullable String defaultProvider) {
		this.defaultProvider = defaultProvider;
	}

	public Map<String, Provider> getProviders() {
		return this.providers;
	}

	public void setProviders(Map<String, Provider> providers) {
		this.providers = providers;
	}

	public List<Route> getRoutes() {
		return this.routes;
	}

	public void setRoutes(List<Route> routes) {
		this.routes = routes;
	}

	public Token getToken() {
		return this.token;
	}

	public Replay getReplay() {
		return this.replay;
	}

	public Http getHttp() {
		return this.http;
	}

	public Builtin getBuiltin() {
		return this.builtin;
	}

	public ClientIp getClientIp() {
		return this.clientIp;
	}

	public Login getLogin() {
		return this.login;
	}

	public Abuse getAbuse() {
		return this.abuse;
	}

	public TestKeys getTestKeys() {
		return this.testKeys;
	}

	public Store getStore() {
		return this.store;
	}

	public Health getHealth() {
		return this.health;
	}

	/**
	 * Providers' official test secrets, under which every token passes.
	 */
	public static class TestKeys {

		/**
		 * Whether a provider may use its official test secret (with a WARN). Start-up
		 * fails when false, and also when an active profile looks like production (prod,
		 * production, prod-eu, eu_prod, ...).
		 */
		private boolean allowed = true;

		public boolean isAllowed() {
			return this.allowed;
		}

		public void setAllowed(boolean allowed) {
			this.allowed = allowed;
		}

	}

	/**
	 * The captcha health contributor (with Spring Boot Actuator; switched off with
	 * management.health.captcha.enabled=false). It never calls a provider: each
	 * provider's component reports from its recent verifications, the store's from the
	 * recent verifications' store errors.
	 */
	public static class Health {

		/**
		 * How many of the most recent verifications, per provider and for the store, the
		 * error rate is computed over: a count, not a time, so that a quiet site keeps
		 * its last verdict instead of forgetting it, and a busy one reacts within this
		 * many requests.
		 */
		private int window = 100;

		/**
		 * Highest share (0.0 to 1.0) of captcha_provider_unavailable outcomes (fail-open
		 * passes included) among a provider's last verifications, or of store failures
		 * among the store's, that is still UP; above it the component is DOWN.
		 */
		private double maxErrorRate = 0.5;

		public int getWindow() {
			return this.window;
		}

		public void setWindow(int window) {
			this.window = window;
		}

		public double getMaxErrorRate() {
			return this.maxErrorRate;
		}

		public void setMaxErrorRate(double maxErrorRate) {
			this.maxErrorRate = maxErrorRate;
		}

	}

	/**
	 * How the client IP is found.
	 */
	public static class ClientIp {

		/**
		 * Proxies (CIDR ranges or addresses, IPv4 and IPv6) whose X-Forwarded-For and
		 * Forwarded headers are believed. Empty: the socket peer is the client.
		 */
		private List<String> trustedProxies = new ArrayList<>();

		public List<String> getTrustedProxies() {
			return this.trustedProxies;
		}

		public void setTrustedProxies(List<String> trustedProxies) {
			this.trustedProxies = trustedProxies;
		}

		/**
		 * Whether to start with server.forward-headers-strategy=framework while
		 * trusted-proxies is empty. Spring's ForwardedHeaderFilter then believes any
		 * client's X-Forwarded-For for the whole application (this library keeps using
		 * the socket peer); off: start-up fails.
		 */
		private boolean allowForwardedHeaderStrategy;

		public boolean isAllowForwardedHeaderStrategy() {
			return this.allowForwardedHeaderStrategy;
		}

		public void setAllowForwardedHeaderStrategy(boolean allowForwardedHeaderStrategy) {
			this.allowForwardedHeaderStrategy = allowForwardedHeaderStrategy;
		}

	}

	/**
	 * CAPTCHA on the login form after failed logins (with the Spring Security
	 * configurer).
	 */
	public static class Login {

		/**
		 * Failed logins per username or client IP after which the login form requires a
		 * CAPTCHA; 0: always.
		 */
		private int failuresBeforeCaptcha = 3;

		/**
		 * Window in which failed logins are counted.
		 */
		private Duration window = Duration.ofMinutes(15);

		public int getFailuresBeforeCaptcha() {
			return this.failuresBeforeCaptcha;
		}

		public void setFailuresBeforeCaptcha(int failuresBeforeCaptcha) {
			this.failuresBeforeCaptcha = failuresBeforeCaptcha;
		}

		public Duration getWindow() {
			return this.window;
		}

		public void setWindow(Duration window) {
			this.window = window;
		}

	}

	/**
	 * Step-up and blocking after failed verifications.
	 */
	public static class Abuse {

		/**
		 * Failed verifications per client IP or account after which routes with
		 * escalate-to require their stronger provider; 0: never.
		 */
		private int stepUpAfter = 3;

		/**
		 * Failed verifications per client IP or account after which requests are answered
		 * 429 until the window ends; 0: never.
		 */
		private int blockAfter = 10;

		/**
		 * Window in which failed verifications are counted.
		 */
		private Duration window = Duration.ofMinutes(15);

		public int getStepUpAfter() {
			return this.stepUpAfter;
		}

		public void setStepUpAfter(int stepUpAfter) {
			this.stepUpAfter = stepUpAfter;
		}

		public int getBlockAfter() {
			return this.blockAfter;
		}

		public void setBlockAfter(int blockAfter) {
			this.blockAfter = blockAfter;
		}

		public Duration getWindow() {
			return this.window;
		}

		public void setWindow(Duration window) {
			this.window = window;
		}

	}

	/**
	 * One CAPTCHA provider. The union of the properties of every shipped type: each
	 * property's description says which types use it (the per-type factories read only
	 * theirs); custom types read {@code settings}. One flat class keeps
	 * {@code captcha.providers.<name>.*} documented in the configuration metadata
	 * whatever the type.
	 */
	public static class Provider {

		/**
		 * Provider type: builtin, recaptcha, recaptcha-enterprise, hcaptcha, turnstile,
		 * captchala, friendly-captcha, or the type of an application's
		 * CaptchaProviderFactory bean. Leave it out for a CaptchaVerifier bean of the
		 * same name, to set its hostnames, min-score, max-token-age, form-field or
		 * max-token-length.
		 */
		private @Nullable String type;

		/**
		 * Secret key used to verify tokens (recaptcha, hcaptcha, turnstile).
		 */
		private @Nullable String secret;

		/**
		 * API key (recaptcha-enterprise, friendly-captcha).
		 */
		private @Nullable String apiKey;

		/**
		 * Google Cloud project id (recaptcha-enterprise).
		 */
		private @Nullable String projectId;

		/**
		 * App key (captchala).
		 */
		private @Nullable String appKey;

		/**
		 * App secret (captchala).
		 */
		private @Nullable String appSecret;

		/**
		 * Server challenge issue endpoint (captchala); defaults to the provider's public
		 * one.
		 */
		private @Nullable String issueUrl;

		/**
		 * Backup validate endpoint for offline_ tokens (captchala); defaults to the
		 * provider's public one.
		 */
		private @Nullable String fallbackUrl;

		/**
		 * Whether client_ tokens, which cannot be verified server-side, are accepted
		 * (captchala).
		 */
		private boolean acceptClientOnly;

		/**
		 * Whether degraded dg_ tokens, issued when the quota is exhausted, are accepted
		 * (captchala).
		 */
		private boolean acceptDegraded;

		/**
		 * Customer data the token must carry (turnstile).
		 */
		private @Nullable String cdata;

		/**
		 * Form field the provider's widget posts; defaults to the type's
		 * (g-recaptcha-response, h-captcha-response, cf-turnstile-response,
		 * frc-captcha-response, captchala-token, captcha-token).
		 */
		private @Nullable String formField;

		/**
		 * Longest token accepted; defaults to the type's cap (turnstile 2048,
		 * friendly-captcha 16384, hcaptcha 32768) or captcha.token.max-length.
		 */
		private @Nullable Integer maxTokenLength;

		/**
		 * Public site key, for pages that render the widget.
		 */
		private @Nullable String siteKey;

		/**
		 * Verification endpoint; defaults to the provider's public one. Must be https
		 * except on a loopback address.
		 */
		private @Nullable String verifyUrl;

		/**
		 * Hostnames the challenge may have been solved on; "*.example.com" allows
		 * subdomains. Empty: not checked.
		 */
		private List<String> hostnames = new ArrayList<>();

		/**
		 * Minimum score, from 0.0 (bot) to 1.0 (human). Absent: no score is required
		 * (reCAPTCHA v2).
		 */
		private @Nullable Double minScore;

		/**
		 * Maximum age of the challenge. Defaults to the provider's token lifetime: 2m for
		 * recaptcha, captcha.builtin.token-ttl for builtin.
		 */
		private @Nullable Duration maxTokenAge;

		/**
		 * Free-form settings of a custom provider type (read by its
		 * CaptchaProviderFactory); unused by the shipped types.
		 */
		private Map<String, String> settings = new LinkedHashMap<>();

		public @Nullable String getType() {
			return this.type;
		}

		public void setType(@Nullable String type) {
			this.type = type;
		}

		public @Nullable String getSecret() {
			return this.secret;
		}

		public void setSecret(@Nullable String secret) {
			this.secret = secret;
		}

		public @Nullable String getApiKey() {
			return this.apiKey;
		}

		public void setApiKey(@Nullable String apiKey) {
			this.apiKey = apiKey;
		}

		public @Nullable String getProjectId() {
			return this.projectId;
		}

		public void setProjectId(@Nullable String projectId) {
			this.projectId = projectId;
		}

		public @Nullable String getAppKey() {
			return this.appKey;
		}

		public void setAppKey(@Nullable String appKey) {
			this.appKey = appKey;
		}

		public @Nullable String getAppSecret() {
			return this.appSecret;
		}

		public void setAppSecret(@Nullable String appSecret) {
			this.appSecret = appSecret;
		}

		public @Nullable String getIssueUrl() {
			return this.issueUrl;
		}

		public void setIssueUrl(@Nullable String issueUrl) {
			this.issueUrl = issueUrl;
		}

		public @Nullable String getFallbackUrl() {
			return this.fallbackUrl;
		}

		public void setFallbackUrl(@Nullable String fallbackUrl) {
			this.fallbackUrl = fallbackUrl;
		}

		public boolean isAcceptClientOnly() {
			return this.acceptClientOnly;
		}

		public void setAcceptClientOnly(boolean acceptClientOnly) {
			this.acceptClientOnly = acceptClientOnly;
		}

		public boolean isAcceptDegraded() {
			return this.acceptDegraded;
		}

		public void setAcceptDegraded(boolean acceptDegraded) {
			this.acceptDegraded = acceptDegraded;
		}

		public @Nullable String getCdata() {
			return this.cdata;
		}

		public void setCdata(@Nullable String cdata) {
			this.cdata = cdata;
		}

		public @Nullable String getFormField() {
			return this.formField;
		}

		public void setFormField(@Nullable String formField) {
			this.formField = formField;
		}

		public @Nullable Integer getMaxTokenLength() {
			return this.maxTokenLength;
		}

		public void setMaxTokenLength(@Nullable Integer maxTokenLength) {
			this.maxTokenLength = maxTokenLength;
		}

		public @Nullable String getSiteKey() {
			return this.siteKey;
		}

		public void setSiteKey(@Nullable String siteKey) {
			this.siteKey = siteKey;
		}

		public @Nullable String getVerifyUrl() {
			return this.verifyUrl;
		}

		public void setVerifyUrl(@Nullable String verifyUrl) {
			this.verifyUrl = verifyUrl;
		}

		public List<String> getHostnames() {
			return this.hostnames;
		}

		public void setHostnames(List<String> hostnames) {
			this.hostnames = hostnames;
		}

		public @Nullable Double getMinScore() {
			return this.minScore;
		}

		public void setMinScore(@Nullable Double minScore) {
			this.minScore = minScore;
		}

		public @Nullable Duration getMaxTokenAge() {
			return this.maxTokenAge;
		}

		public void setMaxTokenAge(@Nullable Duration maxTokenAge) {
			this.maxTokenAge = maxTokenAge;
		}

		public Map<String, String> getSettings() {
			return this.settings;
		}

		public void setSettings(Map<String, String> settings) {
			this.settings = settings;
		}

	}

	/**
	 * One protected route.
	 */
	public static class Route {

		/**
		 * Path pattern, in Spring PathPattern syntax, relative to the context path.
		 */
		private @Nullable String path;

		/**
		 * HTTP methods the route applies to. Empty: every method. GET also covers HEAD.
		 */
		private List<String> methods = new ArrayList<>();

		/**
		 * Action the token must carry.
		 */
		private @Nullable String action;

		/**
		 * Minimum score for this route; overrides the provider's.
		 */
		private @Nullable Double minScore;

		/**
		 * Name of the provider that verifies tokens for this route, or a list of names:
		 * then the form field that carried the token (or the X-Captcha-Provider header)
		 * picks one, else the first. Defaults to captcha.default-provider.
		 */
		private List<String> provider = new ArrayList<>();

		/**
		 * Whether requests pass when the provider cannot be asked (timeout, outage). Off:
		 * fail closed with 503.
		 */
		private boolean failOpen;

		/**
		 * Verified tokens scoring below this (but at or above min-score) must solve the
		 * escalate-to provider's challenge.
		 */
		private @Nullable Double escalateBelow;

		/**
		 * Provider of the stronger challenge escalations ask for (score band, step-up
		 * after failures).
		 */
		private @Nullable String escalateTo;

		/**
		 * Whether the token must come from a challenge the server issued for this client
		 * IP and the route's action.
		 */
		private boolean serverChallenge;

		/**
		 * Built-in challenge types (image, grid, math, pow) whose tokens the route
		 * accepts; others get 403 captcha_challenge_type_mismatch. Empty: every type
		 * captcha.builtin.challenge-types allows. Needs a provider of type builtin:
		 * hosted providers have no such types.
		 */
		private List<String> challengeTypes = new ArrayList<>();

		/**
		 * Built-in challenge types escalations to a builtin escalate-to provider ask for,
		 * preferred first; the retry must be of one of them. Default: grid (or, when the
		 * site keys do not allow it, the first of image, math, pow they allow).
		 */
		private List<String> escalateChallengeTypes = new ArrayList<>();

		public @Nullable String getPath() {
			return this.path;
		}

		public void setPath(@Nullable String path) {
			this.path = path;
		}

		public List<String> getMethods() {
			return this.methods;
		}

		public void setMethods(List<String> methods) {
			this.methods = methods;
		}

		public @Nullable String getAction() {
			return this.action;
		}

		public void setAction(@Nullable String action) {
			this.action = action;
		}

		public @Nullable Double getMinScore() {
			return this.minScore;
		}

		public void setMinScore(@Nullable Double minScore) {
			this.minScore = minScore;
		}

		public List<String> getProvider() {
			return this.provider;
		}

		public void setProvider(List<String> provider) {
			this.provider = provider;
		}

		public boolean isFailOpen() {
			return this.failOpen;
		}

		public void setFailOpen(boolean failOpen) {
			this.failOpen = failOpen;
		}

		public @Nullable Double getEscalateBelow() {
			return this.escalateBelow;
		}

		public void setEscalateBelow(@Nullable Double escalateBelow) {
			this.escalateBelow = escalateBelow;
		}

		public @Nullable String getEscalateTo() {
			return this.escalateTo;
		}

		public void setEscalateTo(@Nullable String escalateTo) {
			this.escalateTo = escalateTo;
		}

		public boolean isServerChallenge() {
			return this.serverChallenge;
		}

		public void setServerChallenge(boolean serverChallenge) {
			this.serverChallenge = serverChallenge;
		}

		public List<String> getChallengeTypes() {
			return this.challengeTypes;
		}

		public void setChallengeTypes(List<String> challengeTypes) {
			this.challengeTypes = challengeTypes;
		}

		public List<String> getEscalateChallengeTypes() {
			return this.escalateChallengeTypes;
		}

		public void setEscalateChallengeTypes(List<String> escalateChallengeTypes) {
			this.escalateChallengeTypes = escalateChallengeTypes;
		}

	}

	/**
	 * Where tokens are read from.
	 */
	public static class Token {

		/**
		 * Request header carrying the token.
		 */
		private String header = DefaultCaptchaTokenResolver.DEFAULT_HEADER;

		/**
		 * Top-level members of a JSON body carrying the token (a list: captchaToken, and
		 * altcha for the official ALTCHA widget's payload). Empty: JSON bodies are not
		 * read.
		 */
		private List<String> jsonField = new ArrayList<>(DefaultCaptchaTokenResolver.DEFAULT_JSON_FIELDS);

		/**
		 * Form fields (url-encoded or multipart bodies) carrying the token; altcha is the
		 * official ALTCHA widget's.
		 */
		private List<String> formFields = new ArrayList<>(DefaultCaptchaTokenResolver.DEFAULT_FORM_FIELDS);

		/**
		 * Longest token accepted; longer ones are rejected without asking the provider.
		 */
		private int maxLength = 4096;

		/**
		 * Largest JSON body read to find the token; larger bodies on protected routes are
		 * rejected with 413.
		 */
		private DataSize maxBody = DataSize.ofKilobytes(64);

		public String getHeader() {
			return this.header;
		}

		public void setHeader(String header) {
			this.header = header;
		}

		public List<String> getJsonField() {
			return this.jsonField;
		}

		public void setJsonField(List<String> jsonField) {
			this.jsonField = jsonField;
		}

		public List<String> getFormFields() {
			return this.formFields;
		}

		public void setFormFields(List<String> formFields) {
			this.formFields = formFields;
		}

		public int getMaxLength() {
			return this.maxLength;
		}

		public void setMaxLength(int maxLength) {
			this.maxLength = maxLength;
		}

		public DataSize getMaxBody() {
			return this.maxBody;
		}

		public void setMaxBody(DataSize maxBody) {
			this.maxBody = maxBody;
		}

	}

	/**
	 * Where the shared state lives: the replay cache, the failure counters (abuse control
	 * and failed logins), the built-in provider's challenges and hourly limits.
	 */
	public static class Store {

		/**
		 * Store type: memory (in this JVM, the default) or redis (shared by every
		 * instance through Spring Data Redis; needs spring-boot-starter-data-redis and
		 * the spring.data.redis connection settings).
		 */
		private StoreType type = StoreType.MEMORY;

		/**
		 * Prefix of every Redis key this library writes.
		 */
		private String keyPrefix = "captcha:";

		/**
		 * What a protected request gets when the store fails or is too slow: fail-closed
		 * (503 captcha_store_unavailable) or fail-open (the request goes on as if its
		 * CAPTCHA had passed, with a WARN).
		 */
		private OnError onError = OnError.FAIL_CLOSED;

		/**
		 * Longest wait for one store operation, on top of the Redis client's own
		 * timeouts.
		 */
		private Duration timeout = Duration.ofMillis(500);

		public StoreType getType() {
			return this.type;
		}

		public void setType(StoreType type) {
			this.type = type;
		}

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

		public OnError getOnError() {
			return this.onError;
		}

		public void setOnError(OnError onError) {
			this.onError = onError;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		/**
		 * Where the shared state lives.
		 */
		public enum StoreType {

			/** In this JVM (Caffeine): nothing is shared between instances. */
			MEMORY,

			/** In Redis, shared by every instance. */
			REDIS

		}

		/**
		 * What a protected request gets when the store fails.
		 */
		public enum OnError {

			/** 503 captcha_store_unavailable. */
			FAIL_CLOSED,

			/** The request goes on as if its CAPTCHA had passed. */
			FAIL_OPEN

		}

	}

	/**
	 * Local replay detection.
	 */
	public static class Replay {

		/**
		 * Maximum number of token digests remembered.
		 */
		private long maxEntries = 1_000_000;

		public long getMaxEntries() {
			return this.maxEntries;
		}

		public void setMaxEntries(long maxEntries) {
			this.maxEntries = maxEntries;
		}

	}

	/**
	 * HTTP client used to ask providers.
	 */
	public static class Http {

		/**
		 * Longest wait for a connection to a provider.
		 */
		private Duration connectTimeout = Duration.ofSeconds(1);

		/**
		 * Longest wait for a provider's answer once connected.
		 */
		private Duration responseTimeout = Duration.ofSeconds(3);

		/**
		 * Maximum number of pooled connections.
		 */
		private int maxConnections = 200;

		/**
		 * Maximum number of verifications by hosted providers in flight at once, over all
		 * providers. Past it a request is answered 503 captcha_provider_unavailable at
		 * once (fail-open routes let it through), so a slow or hanging provider cannot
		 * hold every servlet thread. Keep it well under the servlet thread pool. The
		 * built-in provider, which makes no HTTP call, is not bounded.
		 */
		private int maxConcurrentVerifications = 32;

		/**
		 * How long a verification that finds max-concurrent-verifications in flight waits
		 * for one of them to end, holding its thread, before it is turned away (503
		 * captcha_provider_unavailable). Zero turns the excess away at once.
		 */
		private Duration verificationWait = Duration.ofMillis(25);

		/**
		 * How long the 503 answer to a request turned away by the bound above is held
		 * back while the calls in flight are stalled (none ended for 100 ms), without
		 * holding a servlet thread (the request is put in asynchronous mode), so that
		 * clients sending again as soon as they are answered cannot turn a hung provider
		 * into a flood of instant answers that takes the CPU from every other route. Zero
		 * answers at once.
		 */
		private Duration busyAnswerDelay = Duration.ofSeconds(1);

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public Duration getResponseTimeout() {
			return this.responseTimeout;
		}

		public void setResponseTimeout(Duration responseTimeout) {
			this.responseTimeout = responseTimeout;
		}

		public int getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
		}

		public int getMaxConcurrentVerifications() {
			return this.maxConcurrentVerifications;
		}

		public void setMaxConcurrentVerifications(int maxConcurrentVerifications) {
			this.maxConcurrentVerifications = maxConcurrentVerifications;
		}

		public Duration getVerificationWait() {
			return this.verificationWait;
		}

		public void setVerificationWait(Duration verificationWait) {
			this.verificationWait = verificationWait;
		}

		public Duration getBusyAnswerDelay() {
			return this.busyAnswerDelay;
		}

		public void setBusyAnswerDelay(Duration busyAnswerDelay) {
			this.busyAnswerDelay = busyAnswerDelay;
		}

	}

	/**
	 * The built-in, self-hosted provider (type builtin).
	 */
	public static class Builtin {

		/**
		 * Base path of the generate/validate API and the widget script.
		 */
		private String basePath = "/captcha";

		/**
		 * Accepted site keys: plain keys, or "sha256:<hex>" digests of keys.
		 */
		private List<String> siteKeys = new ArrayList<>();

		/**
		 * Challenge types the site keys allow: generate refuses others (400
		 * captcha_bad_request) and their tokens are refused (403
		 * captcha_challenge_type_mismatch). math and pow are weak: a script parses the
		 * question or does the work in milliseconds (proof of work proves work, not
		 * humanity).
		 */
		private List<String> challengeTypes = new ArrayList<>(List.of("image", "math", "grid", "pow"));

		/**
		 * Base64 HMAC key (at least 256 bits) signing pass tokens and proof-of-work
		 * challenges. Empty: a random key per start, so tokens neither survive a restart
		 * nor work across instances.
		 */
		private @Nullable String signingKey;

		/**
		 * How long a challenge may be answered.
		 */
		private Duration challengeTtl = Duration.ofMinutes(5);

		/**
		 * How long a pass token is valid.
		 */
		private Duration tokenTtl = Duration.ofMinutes(5);

		/**
		 * Whether pass tokens are bound to the IP address that solved the challenge.
		 */
		private boolean bindIp;

		/**
		 * Maximum number of unanswered challenges kept in memory.
		 */
		private long maxChallenges = 100_000;

		private final Limits limits = new Limits();

		private final Image image = new Image();

		private final Math math = new Math();

		private final Pow pow = new Pow();

		private final Cors cors = new Cors();

		private final Altcha altcha = new Altcha();

		public String getBasePath() {
			return this.basePath;
		}

		public void setBasePath(String basePath) {
			this.basePath = basePath;
		}

		public List<String> getSiteKeys() {
			return this.siteKeys;
		}

		public void setSiteKeys(List<String> siteKeys) {
			this.siteKeys = siteKeys;
		}

		public List<String> getChallengeTypes() {
			return this.challengeTypes;
		}

		public void setChallengeTypes(List<String> challengeTypes) {
			this.challengeTypes = challengeTypes;
		}

		public @Nullable String getSigningKey() {
			return this.signingKey;
		}

		public void setSigningKey(@Nullable String signingKey) {
			this.signingKey = signingKey;
		}

		public Duration getChallengeTtl() {
			return this.challengeTtl;
		}

		public void setChallengeTtl(Duration challengeTtl) {
			this.challengeTtl = challengeTtl;
		}

		public Duration getTokenTtl() {
			return this.tokenTtl;
		}

		public void setTokenTtl(Duration tokenTtl) {
			this.tokenTtl = tokenTtl;
		}

		public boolean isBindIp() {
			return this.bindIp;
		}

		public void setBindIp(boolean bindIp) {
			this.bindIp = bindIp;
		}

		public long getMaxChallenges() {
			return this.maxChallenges;
		}

		public void setMaxChallenges(long maxChallenges) {
			this.maxChallenges = maxChallenges;
		}

		public Limits getLimits() {
			return this.limits;
		}

		public Image getImage() {
			return this.image;
		}

		public Math getMath() {
			return this.math;
		}

		public Pow getPow() {
			return this.pow;
		}

		public Cors getCors() {
			return this.cors;
		}

		public Altcha getAltcha() {
			return this.altcha;
		}

		/**
		 * Cross-origin access to the generate/validate API and the widget script.
		 */
		public static class Cors {

			/**
			 * Origins (scheme://host[:port]) whose pages may call the built-in endpoints,
			 * or "*" alone for any. Empty: same origin only. Credentials are never
			 * allowed.
			 */
			private List<String> allowedOrigins = new ArrayList<>();

			public List<String> getAllowedOrigins() {
				return this.allowedOrigins;
			}

			public void setAllowedOrigins(List<String> allowedOrigins) {
				this.allowedOrigins = allowedOrigins;
			}

		}

		/**
		 * Interoperation with the ALTCHA libraries.
		 */
		public static class Altcha {

			/**
			 * HMAC key shared with altcha-lib (a plain string, at least 32 characters, as
			 * its createChallenge and verifySolution take it): signs the proof-of-work
			 * challenges, v1 and v2, so that altcha-lib's challenges verify here and ours
			 * with altcha-lib. Empty: a key derived from signing-key.
			 */
			private @Nullable String hmacKey;

			public @Nullable String getHmacKey() {
				return this.hmacKey;
			}

			public void setHmacKey(@Nullable String hmacKey) {
				this.hmacKey = hmacKey;
			}

		}

		/**
		 * Hourly limits per client IP and per site key. The client's limit is checked
		 * first: requests it refuses do not count toward the site key's.
		 */
		public static class Limits {

			/**
			 * Generate requests allowed per site key and hour.
			 */
			private int generatePerHour = 100;

			/**
			 * Validate requests (failed ones included) allowed per site key and hour.
			 */
			private int validatePerHour = 200;

			/**
			 * Generate requests allowed per client IP and hour, checked before the site
			 * key's limit.
			 */
			private int generatePerClientPerHour = 60;

			/**
			 * Validate requests (failed ones included) allowed per client IP and hour,
			 * checked before the site key's limit.
			 */
			private int validatePerClientPerHour = 120;

			public int getGeneratePerClientPerHour() {
				return this.generatePerClientPerHour;
			}

			public void setGeneratePerClientPerHour(int generatePerClientPerHour) {
				this.generatePerClientPerHour = generatePerClientPerHour;
			}

			public int getValidatePerClientPerHour() {
				return this.validatePerClientPerHour;
			}

			public void setValidatePerClientPerHour(int validatePerClientPerHour) {
				this.validatePerClientPerHour = validatePerClientPerHour;
			}

			public int getGeneratePerHour() {
				return this.generatePerHour;
			}

			public void setGeneratePerHour(int generatePerHour) {
				this.generatePerHour = generatePerHour;
			}

			public int getValidatePerHour() {
				return this.validatePerHour;
			}

			public void setValidatePerHour(int validatePerHour) {
				this.validatePerHour = validatePerHour;
			}

		}

		/**
		 * Distorted-text image challenges.
		 */
		public static class Image {

			/**
			 * Number of characters.
			 */
			private int length = 5;

			/**
			 * Width in pixels.
			 */
			private int width = 160;

			/**
			 * Height in pixels.
			 */
			private int height = 60;

			public int getLength() {
				return this.length;
			}

			public void setLength(int length) {
				this.length = length;
			}

			public int getWidth() {
				return this.width;
			}

			public void setWidth(int width) {
				this.width = width;
			}

			public int getHeight() {
				return this.height;
			}

			public void setHeight(int height) {
				this.height = height;
			}

		}

		/**
		 * Math question challenges.
		 */
		public static class Math {

			/**
			 * Whether the question is also rendered as an image.
			 */
			private boolean asImage;

			public boolean isAsImage() {
				return this.asImage;
			}

			public void setAsImage(boolean asImage) {
				this.asImage = asImage;
			}

		}

		/**
		 * Proof-of-work (ALTCHA v1 and v2) challenges.
		 */
		public static class Pow {

			/**
			 * Upper bound of the secret number (v1 maxnumber, v2 counter); the browser
			 * tries half of it on average.
			 */
			private int maxNumber = 100_000;

			/**
			 * Key derivation of ALTCHA v2 challenges: SHA-256, SHA-384, SHA-512,
			 * PBKDF2/SHA-256, PBKDF2/SHA-384 or PBKDF2/SHA-512.
			 */
			private String algorithm = "SHA-256";

			/**
			 * Rounds (SHA-*) or iterations (PBKDF2/*) of one v2 try, 1 to 100000; the
			 * server derives one key per challenge and per verification.
			 */
			private int cost = 1;

			/**
			 * Complexity per site key and/or action (the route's action), first match
			 * wins; unmatched challenges use max-number and cost.
			 */
			private List<Complexity> complexity = new ArrayList<>();

			public int getMaxNumber() {
				return this.maxNumber;
			}

			public void setMaxNumber(int maxNumber) {
				this.maxNumber = maxNumber;
			}

			public String getAlgorithm() {
				return this.algorithm;
			}

			public void setAlgorithm(String algorithm) {
				this.algorithm = algorithm;
			}

			public int getCost() {
				return this.cost;
			}

			public void setCost(int cost) {
				this.cost = cost;
			}

			public List<Complexity> getComplexity() {
				return this.complexity;
			}

			public void setComplexity(List<Complexity> complexity) {
				this.complexity = complexity;
			}

			/**
			 * The proof-of-work complexity of one site key, action, or both.
			 */
			public static class Complexity {

				/**
				 * Site key (plain or sha256:<hex>) this applies to; empty: any.
				 */
				private @Nullable String siteKey;

				/**
				 * Action this applies to (case-insensitive); empty: any.
				 */
				private @Nullable String action;

				/**
				 * Upper bound of the secret number; empty: pow.max-number.
				 */
				private @Nullable Integer maxNumber;

				/**
				 * v2 cost; empty: pow.cost.
				 */
				private @Nullable Integer cost;

				public @Nullable String getSiteKey() {
					return this.siteKey;
				}

				public void setSiteKey(@Nullable String siteKey) {
					this.siteKey = siteKey;
				}

				public @Nullable String getAction() {
					return this.action;
				}

				public void setAction(@Nullable String action) {
					this.action = action;
				}

				public @Nullable Integer getMaxNumber() {
					return this.maxNumber;
				}

				public void setMaxNumber(@Nullable Integer maxNumber) {
					this.maxNumber = maxNumber;
				}

				public @Nullable Integer getCost() {
					return this.cost;
				}

				public void setCost(@Nullable Integer cost) {
					this.cost = cost;
				}

			}

		}

	}

}
