package io.github.captchasecurity.autoconfigure;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The last {@code size} outcomes of one health component, each an error or not, with the
 * time of the last error. Thread-safe; recording is O(1).
 */
final class OutcomeWindow {

	private final boolean[] errors;

	private int next;

	private int samples;

	private int errorCount;

	private long total;

	private @Nullable Instant lastFailure;

	OutcomeWindow(int size) {
		this.errors = new boolean[size];
	}

	synchronized void record(boolean error, Instant now) {
		if (this.samples == this.errors.length) {
			if (this.errors[this.next]) {
				this.errorCount--;
			}
		}
		else {
			this.samples++;
		}
		this.errors[this.next] = error;
		this.next = (this.next + 1) % this.errors.length;
		if (error) {
			this.errorCount++;
			this.lastFailure = now;
		}
		this.total++;
	}

	synchronized Snapshot snapshot() {
		return new Snapshot(this.samples, this.errorCount, this.total, this.lastFailure);
	}

	/**
	 * What the window holds.
	 *
	 * @param samples outcomes in the window
	 * @param errors errors among them
	 * @param total outcomes recorded since start-up
	 * @param lastFailure the time of the last error, or null if none
	 */
	record Snapshot(int samples, int errors, long total, @Nullable Instant lastFailure) {

		double errorRate() {
			return (this.samples == 0) ? 0.0 : (double) this.errors / this.samples;
		}

	}

}
