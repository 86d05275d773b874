package io.github.captchasecurity.sample;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.stereotype.Component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * README's quick start works as copied: every {@code ```java} block of the sections in
 * {@link #SECTIONS} compiles (as complete compilation units, against the starter, Spring
 * MVC and Spring Security), and an application made of a section's classes and its
 * {@code ```yaml} blocks starts on a random port and answers the request README
 * describes, through real HTTP, without a WARN of this library. Spring Security is on
 * this module's class path: the sections that do not use it run with its
 * auto-configuration excluded, as in an application without it.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReadmeSnippetsTests {

	/**
	 * The README sections (headings, without backticks) whose snippets must work as
	 * copied, each with the requests it is run with. A section that is missing or has no
	 * {@code ```java} block fails. A new section is one entry here, e.g.
	 * {@code new Section("Custom providers", false, ReadmeSnippetsTests::customProviders)}.
	 */
	static final List<Section> SECTIONS = List.of(
			new Section("Configuration", false, ReadmeSnippetsTests::configuration),
			new Section("@RequireCaptcha", false, ReadmeSnippetsTests::requireCaptcha),
			new Section("Spring Security", true, ReadmeSnippetsTests::springSecurity),
			new Section("Custom providers", false, ReadmeSnippetsTests::customProviders),
			new Section("Testing your application", false, ReadmeSnippetsTests::testingYourApplication));

	/**
	 * Values for the environment variables README's YAML uses without a default; each
	 * must also be explained in README's prose.
	 */
	private static final Map<String, String> ENVIRONMENT = Map.of("CAPTCHA_SIGNING_KEY", randomSigningKey(),
			"RECAPTCHA_SECRET", "readme-test-recaptcha-secret");

	private static final String[] SECURITY_AUTO_CONFIGURATIONS = {
			"org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
			// the sample has Actuator: its endpoints' security is part of Spring
			// Security's
			"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration" };

	private static final Pattern FENCE = Pattern.compile("^```(\\w*)\\s*$");

	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)(:[^}]*)?}");

	private static final Pattern TYPE_NAME = Pattern.compile(
			"^(?:public\\s+|final\\s+|abstract\\s+)*(?:class|interface|record|enum|@interface)\\s+(\\w+)",
			Pattern.MULTILINE);

	private static final Pattern LIBRARY_WARNING = Pattern
		.compile("^.* WARN .* (i\\.g\\.c\\.|io\\.github\\.captchasecurity\\.).*$", Pattern.MULTILINE);

	private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static final Readme readme = Readme.read(Path.of("..", "README.md"));

	@TempDir
	Path temp;

	@Test
	void everyListedSectionExistsWithJavaSnippets() {
		for (Section section : SECTIONS) {
			assertThat(readme.blocks(section.heading(), "java"))
				.as("README section '%s' (listed in ReadmeSnippetsTests.SECTIONS) must exist and hold ```java blocks",
						section.heading())
				.isNotEmpty();
		}
	}

	@Test
	void everyEnvironmentVariableWithoutDefaultIsExplained() {
		for (Section section : SECTIONS) {
			for (String yaml : readme.blocks(section.heading(), "yaml")) {
				Matcher matcher = PLACEHOLDER.matcher(yaml);
				while (matcher.find()) {
					if (matcher.group(2) == null) {
						String name = matcher.group(1);
						assertThat(ENVIRONMENT)
							.as("${%s} in README section '%s' has no default and no test value", name,
									section.heading())
							.containsKey(name);
						assertThat(readme.prose())
							.as("README must say what ${%s} is and how to set it (it has no default)", name)
							.contains("`" + name + "`");
					}
				}
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@FieldSource("SECTIONS")
	void sectionCompilesAndRunsAsCopied(Section section, CapturedOutput output) throws Exception {
		List<String> snippets = readme.blocks(section.heading(), "java");
		assertThat(snippets).as("README section '%s' has no ```java block", section.heading()).isNotEmpty();
		Path classes = compile(section, snippets);
		try (URLClassLoader loader = new URLClassLoader(new URL[] { classes.toUri().toURL() },
				getClass().getClassLoader())) {
			List<Class<?>> components = new ArrayList<>();
			for (String snippet : snippets) {
				Class<?> type = loader.loadClass(qualifiedName(snippet));
				if (AnnotatedElementUtils.hasAnnotation(type, Component.class)) {
					components.add(type);
				}
			}
			section.run().accept(new Run(section, components, loader, this.temp, output));
		}
	}

	/**
	 * The test example runs as a user's test would, with the JUnit Platform, against the
	 * section's application and YAML only (no RECAPTCHA_SECRET: the kit needs none), and
	 * every test passes.
	 */
	private static void testingYourApplication(Run run) {
		String yaml = run.yaml(1).get(0);
		List<String> tests = readme.blocks(run.section().heading(), "java")
			.stream()
			.filter((snippet) -> snippet.contains("@Test"))
			.map(ReadmeSnippetsTests::qualifiedName)
			.toList();
		assertThat(tests).as("README section '%s' holds a test class", run.section().heading()).hasSize(1);
		Map<String, String> properties = new LinkedHashMap<>();
		try {
			properties.put("spring.config.location", "file:" + run.writeYaml(yaml));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		properties.put("spring.autoconfigure.exclude", String.join(",", SECURITY_AUTO_CONFIGURATIONS));
		properties.put("spring.main.banner-mode", "off");
		Map<String, String> previous = new LinkedHashMap<>();
		properties.forEach((name, value) -> previous.put(name, System.setProperty(name, value)));
		Thread thread = Thread.currentThread();
		ClassLoader loader = thread.getContextClassLoader();
		thread.setContextClassLoader(run.loader());
		SummaryGeneratingListener summary = new SummaryGeneratingListener();
		try {
			Class<?> test = run.loader().loadClass(tests.get(0));
			LauncherFactory.create()
				.execute(LauncherDiscoveryRequestBuilder.request()
					.selectors(DiscoverySelectors.selectClass(test))
					.build(), summary);
		}
		catch (ClassNotFoundException ex) {
			throw new IllegalStateException(ex);
		}
		finally {
			thread.setContextClassLoader(loader);
			previous.forEach((name, value) -> {
				if (value != null) {
					System.setProperty(name, value);
				}
				else {
					System.clearProperty(name);
				}
			});
		}
		StringBuilder failures = new StringBuilder();
		summary.getSummary()
			.getFailures()
			.forEach((failure) -> failures.append(failure.getTestIdentifier().getDisplayName())
				.append(": ")
				.append(failure.getException())
				.append('\n'));
		assertThat(summary.getSummary().getTotalFailureCount()).as("README's test example fails:%n%s", failures)
			.isZero();
		assertThat(summary.getSummary().getTestsSucceededCount()).as("tests of README's example that passed")
			.isEqualTo(2);
	}

	/**
	 * The minimal built-in setup with its form and controller: without a token the
	 * documented 400, with one from the built-in generate/validate API the controller's
	 * answer; then the reCAPTCHA setup and every property.
	 */
	private static void configuration(Run run) {
		List<String> yaml = run.yaml(3);
		String form = run.block("html", 0);
		String action = attribute(form, "form", "action");
		assertThat(attribute(form, "form", "method")).as("the form's method").isEqualToIgnoringCase("post");
		String siteKey = attribute(form, "div", "data-site-key");
		Map<String, String> fields = new LinkedHashMap<>();
		Matcher names = Pattern.compile("name=\"([^\"]+)\"").matcher(form);
		while (names.find()) {
			fields.put(names.group(1), "hello from the form");
		}
		assertThat(fields).as("the form's fields").isNotEmpty();
		try (App app = run.start(yaml.get(0))) {
			assertCaptchaMissing(app.postForm(action, fields));
			Map<String, String> withToken = new LinkedHashMap<>(fields);
			withToken.put("captcha-token", app.builtinToken(siteKey, null));
			HttpResponse<String> response = app.postForm(action, withToken);
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			assertThat(response.body()).contains("hello from the form");
		}
		for (String other : yaml.subList(1, 3)) {
			try (App app = run.start(other)) {
				assertCaptchaMissing(app.postForm(action, fields));
			}
		}
	}

	/** The annotated controller, with the minimal setup of Configuration. */
	private static void requireCaptcha(Run run) {
		try (App app = run.start(readme.blocks("Configuration", "yaml").get(0))) {
			assertCaptchaMissing(app.postJson("/api/signup", "{\"username\":\"alice\"}", null));
			String token = app.builtinToken("my-site-key", "signup");
			HttpResponse<String> response = app.postJson("/api/signup", "{\"username\":\"alice\"}", token);
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			assertThat(json.readTree(response.body()).get("created").stringValue()).isEqualTo("alice");
		}
	}

	/**
	 * The filter chain with the configurer and the providers it names: its Java routes
	 * are enforced.
	 */
	private static void springSecurity(Run run) {
		try (App app = run.start(run.yaml(1).get(0))) {
			assertCaptchaMissing(app.postJson("/api/transfer", "{}", null));
			assertCaptchaMissing(app.postJson("/api/pay", "{}", null));
		}
	}

	/**
	 * Both custom-provider styles: the bean's route asks for a token; the factory's type,
	 * its {@code verify-url} setting pointed at a stub on 127.0.0.1 that answers "ok" for
	 * one token, runs the engine's checks (a rejected token, a verified one reaching the
	 * application, its replay refused without asking the service again).
	 */
	private static void customProviders(Run run) {
		List<String> yaml = run.yaml(2);
		try (App app = run.start(yaml.get(0))) {
			assertCaptchaMissing(app.postForm("/api/signup", Map.of("username", "alice")));
		}
		AtomicInteger calls = new AtomicInteger();
		HttpServer stub;
		try {
			stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		stub.createContext("/verify", (exchange) -> {
			calls.incrementAndGet();
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			byte[] answer = (body.contains("token=good-token") ? "ok" : "no").getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, answer.length);
			exchange.getResponseBody().write(answer);
			exchange.close();
		});
		stub.start();
		String url = "http://127.0.0.1:" + stub.getAddress().getPort() + "/verify";
		String typeYaml = yaml.get(1).replaceAll("verify-url: \\S+", "verify-url: " + url);
		assertThat(typeYaml).as("the type example's verify-url setting").contains(url);
		try (App app = run.start(typeYaml)) {
			HttpResponse<String> rejected = app.postForm("/api/signup",
					Map.of("username", "alice", "captcha-token", "bad-token"));
			assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(403);
			assertThat(json.readTree(rejected.body()).get("code").stringValue()).isEqualTo("captcha_invalid");
			HttpResponse<String> verified = app.postForm("/api/signup",
					Map.of("username", "alice", "captcha-token", "good-token"));
			// no controller is mapped there: a verified request reaches Spring MVC, which
			// answers 404
			assertThat(verified.statusCode()).as(verified.body()).isEqualTo(404);
			int asked = calls.get();
			HttpResponse<String> replayed = app.postForm("/api/signup",
					Map.of("username", "alice", "captcha-token", "good-token"));
			assertThat(json.readTree(replayed.body()).get("code").stringValue()).isEqualTo("captcha_replayed");
			assertThat(calls.get()).as("a replay is answered without asking the service").isEqualTo(asked);
		}
		finally {
			stub.stop(0);
		}
	}

	private static void assertCaptchaMissing(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(json.readTree(response.body()).get("code").stringValue()).isEqualTo("captcha_missing");
	}

	private Path compile(Section section, List<String> snippets) throws IOException {
		Path sources = Files.createDirectories(this.temp.resolve("src"));
		Path classes = Files.createDirectories(this.temp.resolve("classes"));
		Map<Path, String> files = new LinkedHashMap<>();
		for (String snippet : snippets) {
			String name = qualifiedName(snippet);
			if (name == null) {
				fail("README section '%s': the ```java block starting with '%s' declares no type: each block must be "
						+ "a complete compilation unit (package, imports, class)", section.heading(),
						firstLine(snippet));
			}
			Path file = sources.resolve(name.replace('.', File.separatorChar) + ".java");
			assertThat(files).as("README section '%s' declares %s twice", section.heading(), name)
				.doesNotContainKey(file);
			Files.createDirectories(file.getParent());
			Files.writeString(file, snippet);
			files.put(file, snippet);
		}
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
		try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
				StandardCharsets.UTF_8)) {
			// -parameters as Spring Boot's Maven and Gradle plugins compile
			List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-d",
					classes.toString(), "-parameters", "-proc:none", "--release", "17");
			boolean compiled = compiler
				.getTask(null, fileManager, diagnostics, options, null,
						fileManager.getJavaFileObjectsFromPaths(files.keySet()))
				.call();
			if (!compiled) {
				StringBuilder message = new StringBuilder();
				for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
					if (diagnostic.getKind() == Diagnostic.Kind.ERROR) {
						String snippet = (diagnostic.getSource() != null)
								? files.get(Path.of(diagnostic.getSource().toUri())) : null;
						long line = diagnostic.getLineNumber();
						String code = (snippet != null && line > 0)
								? snippet.lines().skip(line - 1).findFirst().orElse("").trim() : "";
						message.append(String.format(
								"%nREADME section '%s', ```java block starting with '%s', its line %d '%s': %s",
								section.heading(), (snippet != null) ? firstLine(snippet) : "?", line, code,
								diagnostic.getMessage(Locale.ROOT)));
					}
				}
				fail("README snippets do not compile:" + message);
			}
		}
		return classes;
	}

	private static String qualifiedName(String snippet) {
		Matcher type = TYPE_NAME.matcher(snippet);
		if (!type.find()) {
			return null;
		}
		Matcher pkg = PACKAGE.matcher(snippet);
		return pkg.find() ? pkg.group(1) + "." + type.group(1) : type.group(1);
	}

	private static String firstLine(String snippet) {
		return snippet.lines().filter((line) -> !line.isBlank()).findFirst().orElse("").trim();
	}

	private static String attribute(String html, String element, String attribute) {
		Matcher tag = Pattern.compile("<" + element + "\\b[^>]*\\b" + attribute + "=\"([^\"]*)\"").matcher(html);
		assertThat(tag.find()).as("<%s %s=...> in %s", element, attribute, html).isTrue();
		return tag.group(1);
	}

	private static String randomSigningKey() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return Base64.getEncoder().encodeToString(key);
	}

	/**
	 * A README section and how it is run.
	 *
	 * @param heading the heading text without {@code ##} and backticks
	 * @param springSecurity whether the section's application uses Spring Security
	 * @param run the requests to make
	 */
	record Section(String heading, boolean springSecurity, Consumer<Run> run) {

		@Override
		public String toString() {
			return this.heading;
		}

	}

	/** README split into sections and fenced blocks. */
	record Readme(Map<String, List<Block>> sections, String prose) {

		static Readme read(Path path) {
			List<String> lines;
			try {
				lines = Files.readAllLines(path);
			}
			catch (IOException ex) {
				throw new IllegalStateException("cannot read " + path.toAbsolutePath(), ex);
			}
			Map<String, List<Block>> sections = new LinkedHashMap<>();
			StringBuilder prose = new StringBuilder();
			List<Block> current = null;
			String language = null;
			StringBuilder block = null;
			for (String line : lines) {
				Matcher fence = FENCE.matcher(line);
				if (block != null) {
					if (line.equals("```")) {
						if (current != null) {
							current.add(new Block(language, block.toString()));
						}
						block = null;
					}
					else {
						block.append(line).append('\n');
					}
				}
				else if (fence.matches()) {
					language = fence.group(1);
					block = new StringBuilder();
				}
				else if (line.startsWith("## ")) {
					current = new ArrayList<>();
					sections.put(line.substring(3).replace("`", "").trim(), current);
				}
				else {
					prose.append(line).append('\n');
				}
			}
			return new Readme(sections, prose.toString());
		}

		List<String> blocks(String heading, String language) {
			List<Block> blocks = this.sections.get(heading);
			assertThat(blocks).as("README has no section '## %s' (sections: %s)", heading, this.sections.keySet())
				.isNotNull();
			return blocks.stream()
				.filter((block) -> block.language().equals(language))
				.map(Block::text)
				.collect(Collectors.toList());
		}

	}

	record Block(String language, String text) {
	}

	/** One section's compiled classes, from which applications are started. */
	record Run(Section section, List<Class<?>> components, ClassLoader loader, Path temp, CapturedOutput output) {

		List<String> yaml(int expected) {
			List<String> yaml = readme.blocks(this.section.heading(), "yaml");
			assertThat(yaml).as("```yaml blocks in README section '%s'", this.section.heading()).hasSize(expected);
			return yaml;
		}

		String block(String language, int index) {
			List<String> blocks = readme.blocks(this.section.heading(), language);
			assertThat(blocks).as("```%s blocks in README section '%s'", language, this.section.heading())
				.hasSizeGreaterThan(index);
			return blocks.get(index);
		}

		Path writeYaml(String yaml) throws IOException {
			Path file = Files.createTempFile(this.temp, "application-", ".yml");
			Files.writeString(file, yaml);
			return file;
		}

		App start(String yaml) {
			try {
				Path file = writeYaml(yaml);
				List<Object> sources = new ArrayList<>();
				sources.add(ReadmeApplication.class);
				sources.addAll(this.components);
				SpringApplication application = new SpringApplication(new DefaultResourceLoader(this.loader),
						sources.toArray(Class<?>[]::new));
				application.setWebApplicationType(WebApplicationType.SERVLET);
				List<String> args = new ArrayList<>();
				// only the README's YAML: not the sample's own application.yml on this
				// class path
				args.add("--spring.config.location=file:" + file);
				args.add("--server.port=0");
				args.add("--spring.main.banner-mode=off");
				if (!this.section.springSecurity()) {
					args.add("--spring.autoconfigure.exclude=" + String.join(",", SECURITY_AUTO_CONFIGURATIONS));
				}
				ENVIRONMENT.forEach((name, value) -> args.add("--" + name + "=" + value));
				Thread thread = Thread.currentThread();
				ClassLoader previous = thread.getContextClassLoader();
				thread.setContextClassLoader(this.loader);
				int logged = this.output.length();
				ConfigurableApplicationContext context;
				try {
					context = application.run(args.toArray(String[]::new));
				}
				catch (RuntimeException ex) {
					throw new AssertionError(
							"README section '" + this.section.heading()
									+ "': the application does not start with its snippets and this YAML:\n" + yaml,
							ex);
				}
				finally {
					thread.setContextClassLoader(previous);
				}
				Matcher warning = LIBRARY_WARNING.matcher(this.output.subSequence(logged, this.output.length()));
				if (warning.find()) {
					context.close();
					fail("README section '%s': the application starts with a WARN of this library:%n%s%nwith this "
							+ "YAML:%n%s", this.section.heading(), warning.group(), yaml);
				}
				return new App(context);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

	/** A started README application on its random port. */
	record App(ConfigurableApplicationContext context) implements AutoCloseable {

		int port() {
			return ((WebServerApplicationContext) this.context).getWebServer().getPort();
		}

		HttpResponse<String> postForm(String path, Map<String, String> fields) {
			String body = fields.entrySet()
				.stream()
				.map((field) -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "="
						+ URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
				.collect(Collectors.joining("&"));
			return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(body)));
		}

		HttpResponse<String> postJson(String path, String body, String token) {
			HttpRequest.Builder request = request(path).header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body));
			if (token != null) {
				request.header("X-Captcha-Token", token);
			}
			return send(request);
		}

		/**
		 * A pass token from the built-in API: generate a math challenge, answer it,
		 * validate.
		 */
		String builtinToken(String siteKey, String action) {
			Map<String, Object> generate = new LinkedHashMap<>();
			generate.put("site_key", siteKey);
			generate.put("type", "math");
			if (action != null) {
				generate.put("action", action);
			}
			HttpResponse<String> challenge = postJson("/captcha/generate", json.writeValueAsString(generate), null);
			assertThat(challenge.statusCode()).as(challenge.body()).isEqualTo(200);
			JsonNode question = json.readTree(challenge.body());
			String answer = BuiltinRoundTripTests.solveMath(question.get("question").stringValue());
			HttpResponse<String> validated = postJson("/captcha/validate", json.writeValueAsString(Map.of("site_key",
					siteKey, "captcha_id", question.get("captcha_id").stringValue(), "user_input", answer)), null);
			assertThat(validated.statusCode()).as(validated.body()).isEqualTo(200);
			JsonNode result = json.readTree(validated.body());
			assertThat(result.get("valid").booleanValue()).as(validated.body()).isTrue();
			return result.get("token").stringValue();
		}

		private HttpRequest.Builder request(String path) {
			return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
				.timeout(Duration.ofSeconds(10));
		}

		private HttpResponse<String> send(HttpRequest.Builder request) {
			try {
				return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		@Override
		public void close() {
			this.context.close();
		}

	}

	/**
	 * The application class of a fresh Boot app, without component scanning: the snippets
	 * are its components. Not a {@code @SpringBootConfiguration}, which the sample's
	 * {@code @SpringBootTest}s would find next to their own.
	 */
	@EnableAutoConfiguration
	static class ReadmeApplication {

	}

}
