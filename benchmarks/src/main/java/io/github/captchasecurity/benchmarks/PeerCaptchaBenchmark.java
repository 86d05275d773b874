package io.github.captchasecurity.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import cn.hutool.captcha.CircleCaptcha;
import com.google.code.kaptcha.impl.DefaultKaptcha;
import com.google.code.kaptcha.util.Config;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The peers of {@link ChallengeGenerationBenchmark}, run in the same JMH invocation: a
 * 160x60 image challenge of 5 characters from hutool's {@code CircleCaptcha} (15 circles,
 * its defaults) and from kaptcha's {@code DefaultKaptcha}, each with a new answer,
 * PNG-encoded and base64-encoded, as our generator answers.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class PeerCaptchaBenchmark {

	private CircleCaptcha hutool;

	private DefaultKaptcha kaptcha;

	@Setup
	public void setUp() {
		System.setProperty("java.awt.headless", "true");
		this.hutool = new CircleCaptcha(160, 60, 5, 15);
		Properties properties = new Properties();
		properties.setProperty("kaptcha.image.width", "160");
		properties.setProperty("kaptcha.image.height", "60");
		properties.setProperty("kaptcha.textproducer.char.length", "5");
		properties.setProperty("kaptcha.textproducer.font.size", "40");
		this.kaptcha = new DefaultKaptcha();
		this.kaptcha.setConfig(new Config(properties));
	}

	@Benchmark
	public String hutoolCircleCaptcha() {
		this.hutool.createCode();
		return this.hutool.getImageBase64();
	}

	@Benchmark
	public String kaptcha() throws IOException {
		String text = this.kaptcha.createText();
		ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
		ImageIO.write(this.kaptcha.createImage(text), "png", out);
		return Base64.getEncoder().encodeToString(out.toByteArray());
	}

}
