package io.github.captchasecurity.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.github.captchasecurity.provider.builtin.Challenge;
import io.github.captchasecurity.provider.builtin.ChallengeStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.atLeastOnce;

/**
 * A person's view of the sample: headless Chromium (Debian's chromium and
 * chromium-driver) opens /contact, solves the math challenge in the widget and submits;
 * and submits without solving. Skipped with a message where Chromium is not installed,
 * except under CI=true, where that is a failure.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ContactPageBrowserTests {

	private static WebDriver driver;

	@LocalServerPort
	int port;

	@MockitoSpyBean
	ChallengeStore challengeStore;

	@BeforeAll
	static void startBrowser() {
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
	void contactWhenMathChallengeSolvedThenSuccessShown() throws Exception {
		driver.get("http://localhost:" + this.port + "/contact");
		WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(15));
		WebElement question = wait
			.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#captcha label.captcha-question")));
		WebElement answer = driver.findElement(By.id(question.getAttribute("for")));
		answer.sendKeys(BuiltinRoundTripTests.solveMath(question.getText()));
		screenshot("contact-solved");
		driver.findElement(By.id("send")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "Success"));
		assertThat(driver.findElement(By.id("result")).getText()).contains("\"received\":\"Hello!\"");
		screenshot("contact-success");
	}

	@Test
	void contactWhenSubmittedWithoutSolvingThenRejectionShown() throws Exception {
		driver.get("http://localhost:" + this.port + "/contact");
		WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(15));
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#captcha .captcha-answer")));
		driver.findElement(By.id("send")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "Rejected"));
		assertThat(driver.findElement(By.id("result")).getText()).contains("400").contains("captcha_missing");
		screenshot("contact-rejected");
	}

	@Test
	void contactWhenProofOfWorkChosenThenSolvedInvisiblyAndAccepted() throws Exception {
		driver.get("http://localhost:" + this.port + "/contact");
		WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#captcha .captcha-answer")));
		new Select(driver.findElement(By.id("challenge-type"))).selectByValue("pow");
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#captcha .captcha-status"),
				"Verified"));
		driver.findElement(By.id("send")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "Success"));
		screenshot("contact-pow-success");
	}

	@Test
	void signupWhenGridTilesClickedThenAccepted() throws Exception {
		driver.get("http://localhost:" + this.port + "/signup");
		WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(15));
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#captcha .captcha-answer")));
		new Select(driver.findElement(By.id("challenge-type"))).selectByValue("grid");
		wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#captcha .captcha-tile"), 9));
		assertThat(driver.findElement(By.cssSelector("#captcha .captcha-question")).getText())
			.startsWith("Select all squares with a");
		String shown = driver.findElement(By.id("captcha")).getAttribute("data-captcha-id");
		ArgumentCaptor<Challenge> saved = ArgumentCaptor.forClass(Challenge.class);
		then(this.challengeStore).should(atLeastOnce()).save(saved.capture(), any());
		String answer = saved.getAllValues()
			.stream()
			.filter((challenge) -> challenge.id().equals(shown))
			.findFirst()
			.orElseThrow()
			.answer();
		for (String index : answer.split(",")) {
			WebElement tile = driver.findElement(By.cssSelector("#captcha .captcha-tile[data-index='" + index + "']"));
			tile.sendKeys(Keys.SPACE);
			assertThat(tile.getAttribute("aria-pressed")).isEqualTo("true");
		}
		screenshot("signup-grid-selected");
		driver.findElement(By.id("send")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "Success"));
		assertThat(driver.findElement(By.id("result")).getText()).contains("\"created\":\"alice\"");
	}

	@Test
	void widgetWhenDataLangGermanThenTextsInGerman() {
		// the browser's en-US now beats the page's lang (AccessibilityBrowserTests has
		// the order): data-lang
		driver.get("http://localhost:" + this.port + "/signup");
		WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(15));
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#captcha .captcha-answer")));
		((JavascriptExecutor) driver)
			.executeScript("var w = document.getElementById('captcha'); var copy = w.cloneNode(false);"
					+ "copy.setAttribute('data-lang', 'de'); w.parentNode.replaceChild(copy, w);"
					+ "CaptchaSecurity.render(document.getElementById('captcha'));");
		wait.until(ExpectedConditions.textToBe(By.cssSelector("#captcha .captcha-reload"), "Neue Aufgabe"));
		assertThat(driver.findElement(By.cssSelector("#captcha label.captcha-question")).getText())
			.isEqualTo("Geben Sie die angezeigten Zeichen ein");
	}

	private static void screenshot(String name) throws Exception {
		Path target = Path.of("target", "screenshots", name + ".png");
		Files.createDirectories(target.getParent());
		Files.write(target, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
	}

}
