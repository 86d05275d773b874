package io.github.captchasecurity.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.verify;

/**
 * The widget for people who use a keyboard, a screen reader, zoom or another language, in
 * headless Chromium (Debian's chromium and chromium-driver) on a bare page with no
 * stylesheet of its own ({@code src/test/resources/static/a11y/form.html}): keyboard-only
 * solving (Tab, Enter, Space, no mouse), accessible names as Chromium computes them, the
 * switch from image to audio solved with the spoken answer, styles and reflow at 320 CSS
 * px (200% zoom), the 429 text in words, and the order of language choice. Answers are
 * read from the challenge store the test spies on, never from the page. Skipped with a
 * message where Chromium is not installed, except under CI=true, where that is a failure.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class AccessibilityBrowserTests {

	private static WebDriver driver;

	@LocalServerPort
	int port;

	@MockitoSpyBean
	ChallengeStore challengeStore;

	@BeforeAll
	static void startBrowser() {
		HeadlessChromium.requireInstalled();
		driver = browser("en-US,en");
	}

	@AfterAll
	static void stopBrowser() {
		if (driver != null) {
			driver.quit();
		}
	}

	@Test
	void imageChallengeIsSolvedAndTheFormSentWithTheKeyboardOnly() throws Exception {
		open("type=image");
		WebElement input = tabTo(By.cssSelector("#captcha .captcha-answer"));

		input.sendKeys(answerShown());
		active().sendKeys(Keys.ENTER);

		waitFor().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#captcha .captcha-status"),
				"Verified"));
		assertThat(active().getAttribute("class")).as("focus stays in the widget").isEqualTo("captcha-status");
		active().sendKeys(Keys.TAB);
		assertThat(active().getAttribute("id")).isEqualTo("send");
		active().sendKeys(Keys.ENTER);
		waitFor().until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "Success"));
		screenshot("a11y-keyboard-image-success");
	}

	@Test
	void gridIsSolvedWithTheKeyboardOnlyAndItsTilesAreNamedByPlaceNotContent() throws Exception {
		open("type=grid");
		waitFor().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#captcha .captcha-tile"), 9));
		List<WebElement> tiles = driver.findElements(By.cssSelector("#captcha .captcha-tile"));
		for (int i = 0; i < 9; i++) {
			assertThat(tiles.get(i).getAccessibleName())
				.isEqualTo("Tile " + (i + 1) + " of 9, row " + (i / 3 + 1) + ", column " + (i % 3 + 1));
			assertThat(tiles.get(i).getAttribute("aria-pressed")).isEqualTo("false");
		}
		String answer = answerShown();
		tabTo(By.cssSelector("#captcha .captcha-tile[data-index='0']"));
		for (int i = 0; i < 9; i++) {
			if (("," + answer + ",").contains("," + i + ",")) {
				active().sendKeys(Keys.SPACE);
				assertThat(active().getAttribute("aria-pressed")).isEqualTo("true");
			}
			active().sendKeys(Keys.TAB);
		}
		assertThat(active().getAttribute("class")).isEqualTo("captcha-verify");
		screenshot("a11y-keyboard-grid-selected");
		active().sendKeys(Keys.ENTER);

		waitFor().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#captcha .captcha-status"),
				"Verified"));
		active().sendKeys(Keys.TAB);
		active().sendKeys(Keys.ENTER);
		waitFor().until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "Success"));
	}

	@Test
	void screenReaderNamesOfTheInputImageSwitchAndAudioPlayer() {
		open("type=image");
		WebElement input = waitFor()
			.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#captcha .captcha-answer")));

		assertThat(input.getAccessibleName()).isEqualTo("Type the characters you see");
		assertThat(
				driver.findElement(By.cssSelector("#captcha label[for='" + input.getAttribute("id") + "']")).getText())
			.isEqualTo("Type the characters you see");
		String answer = answerShown();
		assertThat(driver.findElement(By.cssSelector("#captcha img.captcha-image")).getAccessibleName())
			.isEqualTo("Picture of distorted characters")
			.doesNotContainIgnoringCase(answer);
		assertThat(driver.findElement(By.id("captcha")).getAccessibleName()).isEqualTo("Security check");
		WebElement group = driver.findElement(By.cssSelector("#captcha .captcha-switch"));
		assertThat(group.getAttribute("role")).isEqualTo("group");
		assertThat(group.getAccessibleName()).isEqualTo("Other challenge:");
		assertThat(group.findElements(By.tagName("button")).stream().map(WebElement::getAccessibleName))
			.containsExactly("Audio", "Math question", "Picture grid", "No puzzle");

		driver.findElement(By.cssSelector("#captcha .captcha-switch-to[data-type='audio']")).sendKeys(Keys.ENTER);

		WebElement player = waitFor().until(ExpectedConditions
			.presenceOfElementLocated(By.cssSelector("#captcha audio.captcha-audio[data-loaded='true']")));
		assertThat(player.getAccessibleName()).isEqualTo("Spoken characters (audio challenge)");
		assertThat(player.getAttribute("controls")).isNotNull();
		assertThat(active()).as("focus moves to the player").isEqualTo(player);
		assertThat(driver.findElement(By.cssSelector("#captcha .captcha-answer")).getAccessibleName())
			.isEqualTo("Type the characters you hear");
	}

	@Test
	void switchFromImageToAudioKeepsTheChallengeAndTheSpokenAnswerPasses() throws Exception {
		open("type=image");
		waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#captcha .captcha-answer")));
		String shown = driver.findElement(By.id("captcha")).getAttribute("data-captcha-id");

		tabTo(By.cssSelector("#captcha .captcha-switch-to[data-type='audio']")).sendKeys(Keys.ENTER);

		waitFor().until(ExpectedConditions
			.presenceOfElementLocated(By.cssSelector("#captcha audio.captcha-audio[data-loaded='true']")));
		assertThat(driver.findElement(By.id("captcha")).getAttribute("data-captcha-id")).isEqualTo(shown);
		Object duration = ((JavascriptExecutor) driver).executeAsyncScript("""
				var done = arguments[arguments.length - 1];
				var player = document.querySelector('#captcha audio.captcha-audio');
				if (player.readyState >= 1) { done(player.duration); return; }
				player.addEventListener('loadedmetadata', function () { done(player.duration); });
				player.addEventListener('error', function () { done(-1); });
				player.load();
				""");
		assertThat(((Number) duration).doubleValue()).as("seconds of speech Chromium decoded").isGreaterThan(2);
		tabOnwardTo(By.cssSelector("#captcha .captcha-answer"));
		active().sendKeys(answerOf(shown).toLowerCase(Locale.ROOT), Keys.ENTER);

		waitFor().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#captcha .captcha-status"),
				"Verified"));
		driver.findElement(By.id("send")).sendKeys(Keys.ENTER);
		waitFor().until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "Success"));
		screenshot("a11y-audio-success");
	}

	@Test
	void widgetOnAPageWithoutStylesIsStyledAndFits320CssPixelsAt200PercentZoom() throws Exception {
		open("type=image");
		waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#captcha .captcha-answer")));
		assertThat(driver.findElements(By.cssSelector("link[rel=stylesheet]"))).hasSize(1);
		WebElement widget = driver.findElement(By.id("captcha"));
		waitFor().until((d) -> "solid".equals(widget.getCssValue("border-top-style")));
		assertThat(widget.getCssValue("padding-top")).isNotEqualTo("0px");
		assertThat(driver.findElement(By.cssSelector("#captcha .captcha-verify")).getCssValue("background-color"))
			.isEqualTo("rgba(26, 86, 196, 1)");
		ChromeDriver chrome = (ChromeDriver) driver;
		// 320 CSS px wide, as a 640 px window at 200% zoom (WCAG 1.4.10 Reflow)
		chrome.executeCdpCommand("Emulation.setDeviceMetricsOverride",
				Map.of("width", 320, "height", 640, "deviceScaleFactor", 2, "mobile", false));
		try {
			for (String type : List.of("image", "grid", "audio", "math")) {
				open("type=" + type);
				waitFor().until(ExpectedConditions
					.presenceOfElementLocated(By.cssSelector("#captcha .captcha-answer, #captcha .captcha-tile")));
				Map<?, ?> sizes = (Map<?, ?>) chrome.executeScript("""
						var box = document.getElementById('captcha').getBoundingClientRect();
						return { viewport: window.innerWidth, scroll: document.documentElement.scrollWidth,
						  right: box.right };
						""");
				assertThat(((Number) sizes.get("viewport")).intValue()).as(type).isEqualTo(320);
				assertThat(((Number) sizes.get("scroll")).intValue()).as(type + ": no horizontal scrolling")
					.isLessThanOrEqualTo(320);
				assertThat(((Number) sizes.get("right")).doubleValue()).as(type).isLessThanOrEqualTo(320);
				screenshot("a11y-320px-" + type);
			}
		}
		finally {
			chrome.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
		}
	}

	@Test
	void tooManyAttemptsSaysWhenToTryAgainInWordsInEveryLanguage() {
		Map<String, String> expected = Map.of("en", "Too many attempts. Try again in 30 seconds.", "de",
				"Zu viele Versuche. Bitte versuchen Sie es in 30 Sekunden erneut.", "es",
				"Demasiados intentos. Vuelva a intentarlo dentro de 30 segundos.", "fr",
				"Trop de tentatives. Réessayez dans 30 secondes.", "ja", "試行回数が多すぎます。30 秒後にもう一度お試しください。", "pt",
				"Tentativas demais. Tente novamente em 30 segundos.", "ru",
				"Слишком много попыток. Повторите через 30 секунд.", "zh", "尝试次数过多。请30秒钟后再试。");
		for (Map.Entry<String, String> language : expected.entrySet()) {
			open("type=image&retryafter=28&lang=" + language.getKey());
			WebElement status = driver.findElement(By.cssSelector("#captcha .captcha-status"));
			waitFor().until((d) -> !status.getText().isEmpty() && !status.getText().endsWith("…"));
			assertThat(status.getText()).as(language.getKey())
				.isEqualTo(language.getValue())
				.doesNotContain("429")
				.doesNotContainIgnoringCase("retry");
		}
	}

	@Test
	void languageIsDataLangThenTheBrowsersLanguagesThenThePageLang() {
		// this browser's languages: en-US, en
		open("type=image&htmllang=de&lang=fr");
		assertThat(prompt()).as("data-lang beats the browser and the page")
			.isEqualTo("Saisissez les caractères affichés");
		open("type=image&htmllang=de");
		assertThat(prompt()).as("the browser's languages beat the page's lang")
			.isEqualTo("Type the characters you see");
		WebDriver japanese = browser("ja,en-US");
		WebDriver korean = browser("ko,eo");
		try {
			assertThat(((JavascriptExecutor) japanese).executeScript("return navigator.languages[0]")).isEqualTo("ja");
			assertThat(prompt(japanese, "type=image&htmllang=de")).as("first supported browser language")
				.isEqualTo("表示されている文字を入力してください");
			assertThat(prompt(japanese, "type=image&htmllang=de&lang=pt"))
				.isEqualTo("Digite os caracteres que você vê");
			assertThat(((JavascriptExecutor) korean).executeScript("return navigator.languages[0]")).isEqualTo("ko");
			assertThat(prompt(korean, "type=image&htmllang=de")).as("no browser language supported: the page's lang")
				.isEqualTo("Geben Sie die angezeigten Zeichen ein");
			assertThat(prompt(korean, "type=image")).as("nothing supported: English")
				.isEqualTo("Type the characters you see");
		}
		finally {
			japanese.quit();
			korean.quit();
		}
	}

	private String prompt() {
		return prompt(driver);
	}

	private String prompt(WebDriver browser, String query) {
		browser.get("http://localhost:" + this.port + "/a11y/form.html?" + query);
		return prompt(browser);
	}

	private static String prompt(WebDriver browser) {
		return new WebDriverWait(browser, Duration.ofSeconds(15))
			.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#captcha label.captcha-question")))
			.getText();
	}

	private void open(String query) {
		driver.get("http://localhost:" + this.port + "/a11y/form.html?" + query);
	}

	private static WebDriverWait waitFor() {
		return new WebDriverWait(driver, Duration.ofSeconds(15));
	}

	private static WebElement active() {
		return driver.switchTo().activeElement();
	}

	/** Press Tab from the top of the page until the element has the focus. */
	private static WebElement tabTo(By locator) {
		WebElement target = waitFor().until(ExpectedConditions.presenceOfElementLocated(locator));
		((JavascriptExecutor) driver)
			.executeScript("document.activeElement && document.activeElement.blur();" + "window.scrollTo(0, 0);");
		for (int i = 0; i < 30; i++) {
			if (active().equals(target)) {
				return target;
			}
			active().sendKeys(Keys.TAB);
		}
		return fail("Tab never reached " + locator);
	}

	/** Press Tab from where the focus is until the element has it. */
	private static WebElement tabOnwardTo(By locator) {
		WebElement target = driver.findElement(locator);
		for (int i = 0; i < 15; i++) {
			if (active().equals(target)) {
				return target;
			}
			active().sendKeys(Keys.TAB);
		}
		return fail("Tab never reached " + locator);
	}

	/** The answer of the challenge the widget shows, from the store the test spies on. */
	private String answerShown() {
		return answerOf(waitFor().until((d) -> {
			String id = d.findElement(By.id("captcha")).getAttribute("data-captcha-id");
			return (id == null || id.isEmpty()) ? null : id;
		}));
	}

	private String answerOf(String id) {
		ArgumentCaptor<Challenge> saved = ArgumentCaptor.forClass(Challenge.class);
		verify(this.challengeStore, atLeastOnce()).save(saved.capture(), any());
		return saved.getAllValues()
			.stream()
			.filter((challenge) -> challenge.id().equals(id))
			.findFirst()
			.orElseThrow()
			.answer();
	}

	private static WebDriver browser(String acceptLanguages) {
		ChromeOptions options = HeadlessChromium.options("1000,1000");
		options.addArguments("--lang=" + acceptLanguages.split(",")[0], "--autoplay-policy=no-user-gesture-required");
		options.setExperimentalOption("prefs", Map.of("intl.accept_languages", acceptLanguages));
		return HeadlessChromium.start(options);
	}

	private static void screenshot(String name) throws Exception {
		Path target = Path.of("target", "screenshots", name + ".png");
		Files.createDirectories(target.getParent());
		Files.write(target, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
	}

}
