package io.github.captchasecurity.sample;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official ALTCHA widget (npm {@code altcha} 3.x, served from
 * {@code src/test/altcha/node_modules}, no internet) on the sample's {@code /altcha} page
 * in headless Chromium: the person ticks the box (with the keyboard), the widget GETs an
 * ALTCHA v2 challenge from {@code /captcha/generate}, solves it in its workers and fills
 * the {@code altcha} field; the form posts to the protected {@code /api/feedback} and
 * reaches the controller. Skipped with a message where Chromium or the npm packages are
 * missing, except under CI=true.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = {
				"spring.web.resources.static-locations=classpath:/static/,"
						+ "file:src/test/altcha/node_modules/altcha/dist/main/",
				"captcha.abuse.step-up-after=0", "captcha.abuse.block-after=0" })
class AltchaWidgetBrowserTests {

	private static WebDriver driver;

	@LocalServerPort
	int port;

	@BeforeAll
	static void startBrowser() {
		AltchaPackages.require();
		HeadlessChromium.requireInstalled();
		ChromeOptions options = HeadlessChromium.options("1000,1000");
		options.addArguments("--lang=en-US");
		driver = HeadlessChromium.start(options);
	}

	@AfterAll
	static void stopBrowser() {
		if (driver != null) {
			driver.quit();
		}
	}

	@Test
	void officialWidgetSolvesOurV2ChallengeAndTheFormReachesTheController() throws Exception {
		driver.get("http://localhost:" + this.port + "/altcha");
		WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
		JavascriptExecutor js = (JavascriptExecutor) driver;
		// the widget's checkbox, in its light DOM or in a component's open shadow root
		WebElement checkbox = wait.until((d) -> (WebElement) js.executeScript("""
				const widget = document.querySelector('altcha-widget');
				if (!widget || !customElements.get('altcha-widget')) { return null; }
				const find = (root) => {
				  const box = root.querySelector('input[type=checkbox]');
				  if (box) { return box; }
				  for (const el of root.querySelectorAll('*')) {
				    if (el.shadowRoot) { const inner = find(el.shadowRoot); if (inner) { return inner; } }
				  }
				  return null;
				};
				return find(widget);"""));
		// as a keyboard user ticks it (its check mark icon covers the box for a pointer
		// click)
		checkbox.sendKeys(Keys.SPACE);
		String payload = wait.until((d) -> {
			Object value = js.executeScript(
					"const f = document.querySelector('#feedback input[name=altcha]'); return f ? f.value : null;");
			return (value instanceof String text && !text.isEmpty()) ? text : null;
		});
		assertThat(new String(Base64.getDecoder().decode(payload), StandardCharsets.UTF_8)).contains("\"parameters\"")
			.contains("\"solution\"");
		screenshot("altcha-verified");
		driver.findElement(By.id("send")).click();
		wait.until((d) -> d.getPageSource().contains("received"));
		assertThat(driver.getPageSource()).contains("\"received\":\"Hello from ALTCHA!\"");
	}

	private static void screenshot(String name) throws Exception {
		Path target = Path.of("target", "screenshots", name + ".png");
		Files.createDirectories(target.getParent());
		Files.write(target, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
	}

}
