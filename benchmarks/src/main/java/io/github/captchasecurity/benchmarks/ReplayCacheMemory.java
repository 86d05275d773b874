package io.github.captchasecurity.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.Locale;

import io.github.captchasecurity.CaptchaVerificationService;
import io.github.captchasecurity.TokenDigest;
import io.github.captchasecurity.replay.CaffeineReplayCache;
import io.github.captchasecurity.replay.ReplayCache;

/**
 * Heap per million live tokens in the in-memory replay cache
 * ({@link CaffeineReplayCache}, the default store): marks {@code count} (default
 * 1,000,000) distinct token digests used, the way the engine does (SHA-256 hex of the
 * token, a TTL computed per call: 10 minutes plus the clock skew), then forces full
 * collections and prints the used heap before and after, read from the
 * {@link MemoryMXBean}. The digests themselves are garbage once marked; what stays is
 * what the cache keeps.
 *
 * <pre>
 * java -Xmx2g -XX:+UseG1GC -cp benchmarks/target/benchmarks.jar io.github.captchasecurity.benchmarks.ReplayCacheMemory
 * </pre>
 */
public final class ReplayCacheMemory {

	private ReplayCacheMemory() {
	}

	/**
	 * Run the measurement.
	 * @param args the number of entries (default 1,000,000)
	 */
	public static void main(String[] args) {
		int count = (args.length > 0) ? Integer.parseInt(args[0]) : 1_000_000;
		Duration ttl = Duration.ofMinutes(10);
		Duration skew = CaptchaVerificationService.CLOCK_SKEW;
		long before = settledHeap();
		CaffeineReplayCache cache = new CaffeineReplayCache(count);
		for (int i = 0; i < count; i++) {
			ReplayCache.Mark mark = cache.tryMarkUsed(TokenDigest.sha256Hex("tok-memory-" + i), ttl.plus(skew));
			if (mark != ReplayCache.Mark.FIRST_USE) {
				throw new IllegalStateException("entry " + i + ": " + mark);
			}
		}
		long after = settledHeap();
		double perMillion = (after - before) * (1_000_000.0 / count) / (1024 * 1024);
		System.out.printf(Locale.ROOT,
				"entries=%d estimated_size=%d heap_before=%d heap_after=%d bytes_per_entry=%.1f "
						+ "MiB_per_million=%.1f%n",
				count, cache.estimatedSize(), before, after, (after - before) / (double) count, perMillion);
		// keep the cache reachable until after the measurement
		if (cache.tryMarkUsed(TokenDigest.sha256Hex("tok-memory-0"), ttl) != ReplayCache.Mark.ALREADY_USED) {
			throw new IllegalStateException("lost an entry");
		}
	}

	private static long settledHeap() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		long used = Long.MAX_VALUE;
		for (int i = 0; i < 5; i++) {
			System.gc();
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
		}
		return used;
	}

}
