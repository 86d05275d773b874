package io.github.captchasecurity.http;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.hc.core5.concurrent.Cancellable;

/**
 * The hard deadline of every exchange in flight, enforced by one timer thread that sweeps
 * them a few times per deadline and cancels those past it. Starting and ending an
 * exchange is a concurrent set insertion and removal: no timer task is scheduled and
 * cancelled per request, so concurrent exchanges never queue on one lock. An exchange is
 * cancelled between its deadline and one sweep interval later (at most a twentieth of the
 * deadline, between 10 and 100 ms).
 */
final class ExchangeDeadlines implements AutoCloseable {

	private static final long MIN_SWEEP_MILLIS = 10;

	private static final long MAX_SWEEP_MILLIS = 100;

	private final long deadlineNanos;

	private final Set<Exchange> inFlight = ConcurrentHashMap.newKeySet();

	private final ScheduledThreadPoolExecutor sweeper;

	ExchangeDeadlines(Duration deadline) {
		this.deadlineNanos = deadline.toNanos();
		long sweepMillis = Math.max(MIN_SWEEP_MILLIS, Math.min(MAX_SWEEP_MILLIS, deadline.toMillis() / 20));
		this.sweeper = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = new Thread(runnable, "captcha-http-deadline");
			thread.setDaemon(true);
			return thread;
		});
		this.sweeper.scheduleWithFixedDelay(this::sweep, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
	}

	/**
	 * Start the deadline of an exchange.
	 * @param request what to cancel when the deadline passes
	 * @return the exchange, to {@link #end} when it is over
	 */
	Exchange start(Cancellable request) {
		Exchange exchange = new Exchange(request, System.nanoTime() + this.deadlineNanos);
		this.inFlight.add(exchange);
		return exchange;
	}

	/**
	 * End an exchange, whether it was answered, failed or cancelled.
	 * @param exchange the exchange
	 */
	void end(Exchange exchange) {
		this.inFlight.remove(exchange);
	}

	private void sweep() {
		if (this.inFlight.isEmpty()) {
			return;
		}
		long now = System.nanoTime();
		for (Exchange exchange : this.inFlight) {
			if (now - exchange.dueNanos >= 0 && this.inFlight.remove(exchange)) {
				exchange.request.cancel();
			}
		}
	}

	@Override
	public void close() {
		this.sweeper.shutdownNow();
	}

	/**
	 * One exchange in flight (identity equality: two exchanges are never the same).
	 */
	static final class Exchange {

		private final Cancellable request;

		private final long dueNanos;

		private Exchange(Cancellable request, long dueNanos) {
			this.request = request;
			this.dueNanos = dueNanos;
		}

	}

}
