package io.github.captchasecurity.sample;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's Chromium and ChromeDriver for the browser tests: skipped with a message where
 * they are missing, a failure under {@code CI=true}.
 */
final class HeadlessChromium {

	static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private HeadlessChromium() {
	}

	static void requireInstalled() {
		boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
		String message = "Chromium is not installed (" + CHROMIUM + ", " + CHROMEDRIVER
				+ "): apt-get install -y chromium chromium-driver";
		if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
			fail(message + " (CI=true: browser tests must run)");
		}
		assumeTrue(installed, message + "; skipping the browser tests");
	}

	// Headless, offline (no background networking) and of the given window size, e.g.
	// "1000,1000"
	static ChromeOptions options(String windowSize) {
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
				"--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--no-first-run",
				"--window-size=" + windowSize);
		return options;
	}

	static ChromeDriver start(ChromeOptions options) {
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(new File(CHROMEDRIVER.toString()))
			.usingAnyFreePort()
			.build();
		return new ChromeDriver(service, options);
	}

}
