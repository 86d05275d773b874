package io.github.captchasecurity.sample;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The npm packages of the ALTCHA tests ({@code altcha}, {@code altcha-lib} 2.x and 1.x)
 * in {@code src/test/altcha}: installed by {@code .ci/run} ({@code npm ci}); where
 * {@code node_modules} is missing, {@code npm ci --offline} installs them from the npm
 * cache, never from the network. Missing node, npm or packages skip the test with a
 * message, except under CI=true, where that is a failure.
 */
final class AltchaPackages {

	static final Path FOLDER = Path.of("src/test/altcha").toAbsolutePath();

	private AltchaPackages() {
	}

	/** The folder with {@code node_modules}, or the test is skipped (fails under CI). */
	static Path require() {
		if (!Files.isDirectory(FOLDER.resolve("node_modules/altcha-lib"))) {
			if (!runs("node", "--version")) {
				missing("node is not installed (apt-get install -y nodejs npm)");
			}
			if (!runs("npm", "ci", "--offline", "--no-audit", "--no-fund")) {
				missing("the npm packages of " + FOLDER + " are not installed: run npm ci there (.ci/run does)");
			}
		}
		if (!runs("node", "--version")) {
			missing("node is not installed (apt-get install -y nodejs npm)");
		}
		return FOLDER;
	}

	private static void missing(String message) {
		if ("true".equalsIgnoreCase(System.getenv("CI"))) {
			fail(message + " (CI=true: the ALTCHA interop tests must run)");
		}
		assumeTrue(false, message + "; skipping the ALTCHA interop tests");
	}

	private static boolean runs(String... command) {
		try {
			Process process = new ProcessBuilder(List.of(command)).directory(FOLDER.toFile())
				.redirectErrorStream(true)
				.start();
			process.getInputStream().transferTo(OutputStream.nullOutputStream());
			return process.waitFor(120, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** Run {@code node script args...} in the folder; the output and exit code. */
	static Result node(String script, String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("node", script));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).directory(require().toFile()).redirectErrorStream(true).start();
		byte[] output = process.getInputStream().readAllBytes();
		if (!process.waitFor(300, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			return new Result(-1, new String(output, StandardCharsets.UTF_8) + "\n(timed out)");
		}
		return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
	}

	record Result(int exitCode, String output) {
	}

}
