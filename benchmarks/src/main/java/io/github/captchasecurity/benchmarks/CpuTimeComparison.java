package io.github.captchasecurity.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;

import javax.imageio.ImageIO;

import cn.hutool.captcha.CircleCaptcha;
import com.google.code.kaptcha.impl.DefaultKaptcha;
import com.google.code.kaptcha.util.Config;
import io.github.captchasecurity.provider.builtin.BuiltinCaptchaService;
import io.github.captchasecurity.provider.builtin.BuiltinSettings;
import io.github.captchasecurity.provider.builtin.CaffeineChallengeStore;
import io.github.captchasecurity.provider.builtin.CaffeineRateLimiter;
import io.github.captchasecurity.replay.CaffeineReplayCache;

/**
 * The generators of {@link ChallengeGenerationBenchmark} and {@link PeerCaptchaBenchmark}
 * timed by the CPU time of the thread that runs them, in interleaved half-second slices:
 * on a machine shared with other work, wall-clock throughput (JMH) moves with the load
 * between one benchmark and the next, CPU time far less. Run with
 * {@code java -cp benchmarks/target/benchmarks.jar io.github.captchasecurity.benchmarks.CpuTimeComparison [rounds] [pow]};
 * with {@code pow} only the proof-of-work verifiers run (ours and altcha's).
 */
public final class CpuTimeComparison {

	private CpuTimeComparison() {
	}

	/**
	 * Run the comparison.
	 * @param args the number of measured rounds (default 10), then optionally {@code pow}
	 * to run the proof-of-work verifiers only
	 */
	public static void main(String[] args) {
		System.setProperty("java.awt.headless", "true");
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 10;
		Map<String, Supplier<Object>> candidates = candidates();
		if (args.length > 1 && "pow".equals(args[1])) {
			candidates.keySet().removeIf((name) -> !name.contains("verif") && !name.contains("precheck"));
		}
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		Map<String, long[]> totals = new LinkedHashMap<>();
		candidates.keySet().forEach((name) -> totals.put(name, new long[2]));
		for (int round = -3; round < rounds; round++) {
			for (Map.Entry<String, Supplier<Object>> candidate : candidates.entrySet()) {
				long wallEnd = System.nanoTime() + 500_000_000L;
				long cpuStart = threads.getCurrentThreadCpuTime();
				long ops = 0;
				Object sink = null;
				while (System.nanoTime() < wallEnd) {
					sink = candidate.getValue().get();
					ops++;
				}
				long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
				if (sink == null) {
					throw new IllegalStateException("no result");
				}
				if (round >= 0) {
					totals.get(candidate.getKey())[0] += ops;
					totals.get(candidate.getKey())[1] += cpu;
				}
			}
		}
		double hutool = totals.containsKey("hutool CircleCaptcha 160x60")
				? perCpuSecond(totals.get("hutool CircleCaptcha 160x60")) : Double.NaN;
		double altcha = perCpuSecond(totals.get("altcha 1.3.0 verifySolution"));
		for (Map.Entry<String, long[]> total : totals.entrySet()) {
			double rate = perCpuSecond(total.getValue());
			boolean verification = total.getKey().contains("verif") || total.getKey().contains("precheck");
			System.out.printf("%-30s %10.0f per CPU second  %6.2fx %s%n", total.getKey(), rate,
					rate / (verification ? altcha : hutool), verification ? "altcha" : "hutool");
		}
	}

	private static double perCpuSecond(long[] total) {
		return total[0] * 1e9 / total[1];
	}

	private static Map<String, Supplier<Object>> candidates() {
		BuiltinSettings settings = BuiltinSettings.builder(new byte[32])
			.siteKeys(List.of("bench"))
			.limits(Integer.MAX_VALUE, Integer.MAX_VALUE)
			.build();
		BuiltinCaptchaService service = new BuiltinCaptchaService(settings, new CaffeineChallengeStore(10_000),
				new CaffeineRateLimiter(1_000, Clock.systemUTC()), new CaffeineReplayCache(1_000), Clock.systemUTC());
		CircleCaptcha hutool = new CircleCaptcha(160, 60, 5, 15);
		Properties properties = new Properties();
		properties.setProperty("kaptcha.image.width", "160");
		properties.setProperty("kaptcha.image.height", "60");
		properties.setProperty("kaptcha.textproducer.char.length", "5");
		properties.setProperty("kaptcha.textproducer.font.size", "40");
		DefaultKaptcha kaptcha = new DefaultKaptcha();
		kaptcha.setConfig(new Config(properties));
		Map<String, Supplier<Object>> candidates = new LinkedHashMap<>();
		candidates.put("ours image 160x60", () -> service.generate("bench", "image", null, null, null));
		candidates.put("ours math", () -> service.generate("bench", "math", null, null, null));
		candidates.put("ours pow", () -> service.generate("bench", "pow", null, null, null));
		candidates.put("ours grid 300", () -> service.generate("bench", "grid", 300, null, null));
		candidates.put("hutool CircleCaptcha 160x60", () -> {
			hutool.createCode();
			return hutool.getImageBase64();
		});
		candidates.put("kaptcha 160x60", () -> {
			ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
			try {
				ImageIO.write(kaptcha.createImage(kaptcha.createText()), "png", out);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			return Base64.getEncoder().encodeToString(out.toByteArray());
		});
		PowVerificationBenchmark pow = new PowVerificationBenchmark();
		try {
			pow.setUp();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		candidates.put("ours pow precheck", pow::oursPrecheck);
		candidates.put("ours pow verify", pow::oursVerify);
		candidates.put("altcha 1.3.0 verifySolution", () -> {
			try {
				return pow.altchaVerifySolution();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
		return candidates;
	}

}
