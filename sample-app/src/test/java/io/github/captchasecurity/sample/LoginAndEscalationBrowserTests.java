package io.github.captchasecurity.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.github.captchasecurity.provider.builtin.Challenge;
import io.github.captchasecurity.provider.builtin.ChallengeStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
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
 * The login page and the contact form's escalation in headless Chromium. Failures are
 * counted per client IP, and every request here comes from 127.0.0.1, so the scenarios
 * run in order in one test.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.application.name=browser-escalation")
class LoginAndEscalationBrowserTests {

	private static WebDriver driver;

	@LocalServerPort
	int port;

	@MockitoSpyBean
	ChallengeStore challengeStore;

	@BeforeAll
	static void startBrowser() {
		HeadlessChromium.requireInstalled();
		ChromeOptions options = HeadlessChromium.options("1000,1100");
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
	void loginThenEscalationEndToEnd() throws Exception {
		WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
		// three wrong passwords: the login page then shows the CAPTCHA
		for (int i = 0; i < 3; i++) {
			driver.get(url("/login"));
			driver.findElement(By.id("password")).sendKeys("wrong");
			driver.findElement(By.id("login")).click();
			wait.until(ExpectedConditions.urlContains("error"));
		}
		driver.get(url("/login"));
		WebElement answer = wait
			.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#captcha .captcha-answer")));
		answer.sendKeys(answerShown());
		driver.findElement(By.id("password")).sendKeys("wonderland");
		screenshot("login-with-captcha");
		driver.findElement(By.id("login")).click();
		try {
			wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("welcome"), "Hello, alice"));
		}
		catch (RuntimeException ex) {
			screenshot("login-failed");
			System.out.println(
					"DEBUG URL " + driver.getCurrentUrl() + " LOG " + driver.manage().logs().get("browser").getAll());
			throw ex;
		}

		// the contact form: three failed checks from this IP, then a solved math
		// challenge is escalated to a grid
		driver.get(url("/contact"));
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#captcha .captcha-answer")));
		for (int i = 0; i < 3; i++) {
			driver.findElement(By.id("send")).click();
			wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "captcha_missing"));
			((JavascriptExecutor) driver).executeScript("document.getElementById('result').textContent = ''");
		}
		WebElement question = wait
			.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#captcha label.captcha-question")));
		driver.findElement(By.id(question.getAttribute("for")))
			.sendKeys(BuiltinRoundTripTests.solveMath(question.getText()));
		driver.findElement(By.id("send")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "captcha_escalation_required"));
		wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#captcha .captcha-tile"), 9));
		assertThat(driver.findElement(By.cssSelector("#captcha .captcha-status")).getText())
			.isEqualTo("One more check, please.");
		for (String index : answerShown().split(",")) {
			driver.findElement(By.cssSelector("#captcha .captcha-tile[data-index='" + index + "']")).click();
		}
		screenshot("contact-escalated-grid");
		driver.findElement(By.id("send")).click();
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "Success"));
		assertThat(new Select(driver.findElement(By.id("challenge-type"))).getOptions()).isNotEmpty();
	}

	/** The answer of the challenge the widget shows, as a person would read it. */
	private String answerShown() {
		String id = driver.findElement(By.id("captcha")).getAttribute("data-captcha-id");
		ArgumentCaptor<Challenge> saved = ArgumentCaptor.forClass(Challenge.class);
		then(this.challengeStore).should(atLeastOnce()).save(saved.capture(), any());
		List<Challenge> all = saved.getAllValues();
		return all.stream().filter((challenge) -> challenge.id().equals(id)).findFirst().orElseThrow().answer();
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	private static void screenshot(String name) throws Exception {
		Path target = Path.of("target", "screenshots", name + ".png");
		Files.createDirectories(target.getParent());
		Files.write(target, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
	}

}
