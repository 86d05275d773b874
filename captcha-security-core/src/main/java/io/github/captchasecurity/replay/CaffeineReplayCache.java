package io.github.captchasecurity.replay;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Ticker;

/**
 * A {@link ReplayCache} local to this JVM. Each entry lives for the TTL it was marked
 * with. The cache holds at most {@code maxEntries} digests and never evicts a live one to
 * make room: when it is full, expired entries are reclaimed first, and if none has
 * expired the new digest is refused with {@link ReplayCache.Mark#CACHE_FULL} (so flooding
 * the cache cannot push a consumed token out).
 * <p>
 * Entries are compact: a digest given as 64 lowercase hex digits (the engine's SHA-256
 * digests) is kept as 128 bits (its two halves folded together with XOR), other digests
 * (such as the built-in provider's {@code builtin:pass:<id>}) as the first 128 bits of
 * their SHA-256; beside them only the expiry time, in primitive arrays of an
 * open-addressing table split into independently locked segments. No object is kept per
 * token (no string, no {@link Duration}, no map node): about 50 bytes of heap per live
 * token (measured in the benchmarks module). Expired entries are reclaimed on the calling
 * thread when a segment grows or the cache is full, never on a shared pool. Time comes
 * from a Caffeine {@link Ticker}.
 *
 * @since 0.1.0
 */
public final class CaffeineReplayCache implements ReplayCache {

	/**
	 * 256 segments: a million entries fit in arrays of 64 KiB each, under the size at
	 * which G1 allocates whole regions for an array.
	 */
	private static final int SEGMENT_BITS = 8;

	private final Segment[] segments = new Segment[1 << SEGMENT_BITS];

	private final Ticker ticker;

	private final long maxEntries;

	/**
	 * Entries held (live, or expired and not yet reclaimed): reserved before an insert,
	 * so the bound is exact.
	 */
	private final AtomicLong held = new AtomicLong();

	/**
	 * Create a cache on the system ticker.
	 * @param maxEntries the maximum number of digests held
	 */
	public CaffeineReplayCache(long maxEntries) {
		this(maxEntries, Ticker.systemTicker());
	}

	/**
	 * Create a cache with the given time source, for tests that must not sleep.
	 * @param maxEntries the maximum number of digests held, at least 1
	 * @param ticker the time source
	 * @throws IllegalArgumentException if {@code maxEntries} is less than 1
	 */
	public CaffeineReplayCache(long maxEntries, Ticker ticker) {
		if (maxEntries < 1) {
			throw new IllegalArgumentException("maxEntries must be at least 1");
		}
		this.ticker = Objects.requireNonNull(ticker, "ticker");
		this.maxEntries = maxEntries;
		for (int i = 0; i < this.segments.length; i++) {
			this.segments[i] = new Segment();
		}
	}

	/**
	 * Record the first use of a token digest.
	 * @param tokenDigest the token's digest
	 * @param ttl how long to remember it
	 * @return {@code true} on the first use; {@code false} on a replay or when the cache
	 * is full
	 */
	@Override
	public boolean markUsed(String tokenDigest, Duration ttl) {
		return tryMarkUsed(tokenDigest, ttl) == Mark.FIRST_USE;
	}

	@Override
	public Mark tryMarkUsed(String tokenDigest, Duration ttl) {
		Objects.requireNonNull(tokenDigest, "tokenDigest");
		Objects.requireNonNull(ttl, "ttl");
		long high;
		long low;
		if (isHex(tokenDigest)) {
			high = hexHigh(tokenDigest);
			low = hexLow(tokenDigest);
		}
		else {
			byte[] sha = sha256(tokenDigest);
			high = longAt(sha, 0);
			low = longAt(sha, 8);
		}
		long ttlNanos = ttlNanos(ttl);
		Segment segment = segmentFor(high);
		Mark mark = segment.mark(high, low, this.ticker.read(), ttlNanos, this.held, this.maxEntries);
		if (mark != Mark.CACHE_FULL) {
			return mark;
		}
		// reclaim expired entries everywhere before refusing
		long now = this.ticker.read();
		for (Segment each : this.segments) {
			each.purge(now, this.held);
		}
		return segment.mark(high, low, this.ticker.read(), ttlNanos, this.held, this.maxEntries);
	}

	@Override
	public void forget(String tokenDigest) {
		Objects.requireNonNull(tokenDigest, "tokenDigest");
		if (isHex(tokenDigest)) {
			long high = hexHigh(tokenDigest);
			segmentFor(high).remove(high, hexLow(tokenDigest), this.held);
		}
		else {
			byte[] sha = sha256(tokenDigest);
			long high = longAt(sha, 0);
			segmentFor(high).remove(high, longAt(sha, 8), this.held);
		}
	}

	/**
	 * Return the approximate number of digests held, for metrics: live ones and expired
	 * ones not yet reclaimed.
	 * @return the estimated size
	 */
	public long estimatedSize() {
		return this.held.get();
	}

	/**
	 * Return the most digests held at once.
	 * @return the capacity
	 */
	public long maxEntries() {
		return this.maxEntries;
	}

	private Segment segmentFor(long high) {
		return this.segments[(int) (high >>> (Long.SIZE - SEGMENT_BITS))];
	}

	private static long ttlNanos(Duration ttl) {
		if (ttl.isNegative()) {
			return 0;
		}
		// at most about 146 years, so that expiry times compare without overflow
		return (ttl.getSeconds() >= (Long.MAX_VALUE / 2) / 1_000_000_000L) ? Long.MAX_VALUE / 2 : ttl.toNanos();
	}

	// Bits 0-63 of the 256-bit digest folded with bits 128-191.
	private static long hexHigh(String digest) {
		return Long.parseUnsignedLong(digest, 0, 16, 16) ^ Long.parseUnsignedLong(digest, 32, 48, 16);
	}

	// Bits 64-127 of the 256-bit digest folded with bits 192-255.
	private static long hexLow(String digest) {
		return Long.parseUnsignedLong(digest, 16, 32, 16) ^ Long.parseUnsignedLong(digest, 48, 64, 16);
	}

	private static boolean isHex(String digest) {
		if (digest.length() != 64) {
			return false;
		}
		for (int i = 0; i < digest.length(); i++) {
			char c = digest.charAt(i);
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
				return false;
			}
		}
		return true;
	}

	private static long longAt(byte[] bytes, int offset) {
		long value = 0;
		for (int i = offset; i < offset + 8; i++) {
			value = (value << 8) | (bytes[i] & 0xFF);
		}
		return value;
	}

	private static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

	/**
	 * One lock's share of the table: linear probing over {@code highs}, {@code lows} and
	 * {@code expiries} ({@link #EMPTY} for a free slot), grown before it is two thirds
	 * full to half full, with expired entries dropped whenever it is rebuilt.
	 */
	private static final class Segment {

		private static final long EMPTY = Long.MIN_VALUE;

		private static final int MIN_CAPACITY = 16;

		private long[] highs = new long[MIN_CAPACITY];

		private long[] lows = new long[MIN_CAPACITY];

		private long[] expiries = emptyExpiries(MIN_CAPACITY);

		/** Occupied slots, live or expired. */
		private int size;

		/**
		 * No entry expires before this time (a lower bound), so purges can be skipped.
		 */
		private long earliestExpiry = Long.MAX_VALUE;

		private boolean anyEntry;

		synchronized Mark mark(long high, long low, long now, long ttlNanos, AtomicLong held, long maxEntries) {
			int mask = this.expiries.length - 1;
			int i = (int) low & mask;
			while (this.expiries[i] != EMPTY) {
				if (this.highs[i] == high && this.lows[i] == low) {
					if (this.expiries[i] - now > 0) {
						return Mark.ALREADY_USED;
					}
					// the same digest again after its entry expired: renew the slot
					this.expiries[i] = expiry(now, ttlNanos);
					noteExpiry(this.expiries[i]);
					return Mark.FIRST_USE;
				}
				i = (i + 1) & mask;
			}
			if (!reserve(held, maxEntries)) {
				return Mark.CACHE_FULL;
			}
			if (3 * (this.size + 1) > 2 * this.expiries.length) {
				rebuild(now, held);
				mask = this.expiries.length - 1;
				i = (int) low & mask;
				while (this.expiries[i] != EMPTY) {
					i = (i + 1) & mask;
				}
			}
			this.highs[i] = high;
			this.lows[i] = low;
			this.expiries[i] = expiry(now, ttlNanos);
			noteExpiry(this.expiries[i]);
			this.size++;
			return Mark.FIRST_USE;
		}

		synchronized void remove(long high, long low, AtomicLong held) {
			int mask = this.expiries.length - 1;
			int i = (int) low & mask;
			while (this.expiries[i] != EMPTY) {
				if (this.highs[i] == high && this.lows[i] == low) {
					delete(i);
					held.decrementAndGet();
					return;
				}
				i = (i + 1) & mask;
			}
		}

		synchronized void purge(long now, AtomicLong held) {
			if (this.anyEntry && this.earliestExpiry - now <= 0) {
				rebuild(now, held);
			}
		}

		private void noteExpiry(long expiry) {
			if (!this.anyEntry || expiry - this.earliestExpiry < 0) {
				this.earliestExpiry = expiry;
				this.anyEntry = true;
			}
		}

		// Copy the live entries into a table sized for them plus growth, dropping the
		// expired ones.
		private void rebuild(long now, AtomicLong held) {
			long[] oldHighs = this.highs;
			long[] oldLows = this.lows;
			long[] oldExpiries = this.expiries;
			int live = 0;
			for (long expiry : oldExpiries) {
				if (expiry != EMPTY && expiry - now > 0) {
					live++;
				}
			}
			int capacity = MIN_CAPACITY;
			while (2 * (live + 1) > capacity) {
				capacity <<= 1;
			}
			long[] newHighs = new long[capacity];
			long[] newLows = new long[capacity];
			long[] newExpiries = emptyExpiries(capacity);
			int mask = capacity - 1;
			for (int j = 0; j < oldExpiries.length; j++) {
				long expiry = oldExpiries[j];
				if (expiry != EMPTY && expiry - now > 0) {
					int i = (int) oldLows[j] & mask;
					while (newExpiries[i] != EMPTY) {
						i = (i + 1) & mask;
					}
					newHighs[i] = oldHighs[j];
					newLows[i] = oldLows[j];
					newExpiries[i] = expiry;
				}
			}
			held.addAndGet(live - this.size);
			this.highs = newHighs;
			this.lows = newLows;
			this.expiries = newExpiries;
			this.size = live;
			this.anyEntry = false;
			for (long expiry : newExpiries) {
				if (expiry != EMPTY) {
					noteExpiry(expiry);
				}
			}
		}

		// Free a slot, moving later entries of its probe run back (no tombstones).
		private void delete(int slot) {
			int mask = this.expiries.length - 1;
			int free = slot;
			int j = slot;
			while (true) {
				j = (j + 1) & mask;
				if (this.expiries[j] == EMPTY) {
					break;
				}
				int home = (int) this.lows[j] & mask;
				// the entry at j may move to the free slot unless its home lies
				// cyclically in (free, j]
				boolean stays = (free <= j) ? (free < home && home <= j) : (free < home || home <= j);
				if (!stays) {
					this.highs[free] = this.highs[j];
					this.lows[free] = this.lows[j];
					this.expiries[free] = this.expiries[j];
					free = j;
				}
			}
			this.expiries[free] = EMPTY;
			this.size--;
		}

		private static boolean reserve(AtomicLong held, long maxEntries) {
			long current;
			do {
				current = held.get();
				if (current >= maxEntries) {
					return false;
				}
			}
			while (!held.compareAndSet(current, current + 1));
			return true;
		}

		private static long expiry(long now, long ttlNanos) {
			long expiry = now + ttlNanos;
			// wraps around like System.nanoTime; only EMPTY itself is taken
			return (expiry != EMPTY) ? expiry : EMPTY + 1;
		}

		private static long[] emptyExpiries(int capacity) {
			long[] expiries = new long[capacity];
			Arrays.fill(expiries, EMPTY);
			return expiries;
		}

	}

}
