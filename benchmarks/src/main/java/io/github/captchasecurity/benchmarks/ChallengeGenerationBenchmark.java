package io.github.captchasecurity.benchmarks;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.captchasecurity.provider.builtin.BuiltinCaptchaService;
import io.github.captchasecurity.provider.builtin.BuiltinSettings;
import io.github.captchasecurity.provider.builtin.CaffeineChallengeStore;
import io.github.captchasecurity.provider.builtin.CaffeineRateLimiter;
import io.github.captchasecurity.provider.builtin.GeneratedChallenge;
import io.github.captchasecurity.replay.CaffeineReplayCache;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Challenges generated per second on one thread (one core), through the public API, PNG
 * encoding and storage included: what {@code POST /captcha/generate} costs without HTTP.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class ChallengeGenerationBenchmark {

	/**
	 * The challenge type generated; {@code grid-N} is the grid type with the size
	 * parameter {@code N}.
	 */
	@Param({ "image", "math", "grid-100", "grid-300", "grid-450", "pow" })
	public String kind;

	private BuiltinCaptchaService service;

	private String type;

	private Integer size;

	@Setup
	public void setUp() {
		BuiltinSettings settings = BuiltinSettings.builder(new byte[32])
			.siteKeys(List.of("bench"))
			.limits(Integer.MAX_VALUE, Integer.MAX_VALUE)
			.build();
		this.service = new BuiltinCaptchaService(settings, new CaffeineChallengeStore(100_000),
				new CaffeineRateLimiter(1_000, Clock.systemUTC()), new CaffeineReplayCache(1_000), Clock.systemUTC());
		this.type = this.kind.startsWith("grid") ? "grid" : this.kind;
		this.size = this.kind.startsWith("grid-") ? Integer.valueOf(this.kind.substring(5)) : null;
	}

	@Benchmark
	public GeneratedChallenge generate() {
		return this.service.generate("bench", this.type, this.size, null, null);
	}

}
