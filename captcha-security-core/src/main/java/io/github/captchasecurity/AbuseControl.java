package io.github.captchasecurity;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.captchasecurity.abuse.AbuseSettings;
import io.github.captchasecurity.abuse.FailureCounter;
import org.jspecify.annotations.Nullable;

/**
 * The engine's abuse control: admits an attempt against the client's failure counts, then
 * settles it.
 */
final class AbuseControl {

	private final @Nullable AbuseSettings abuse;

	private final @Nullable FailureCounter failureCounter;

	AbuseControl(@Nullable AbuseSettings abuse, @Nullable FailureCounter failureCounter) {
		this.abuse = abuse;
		this.failureCounter = failureCounter;
	}

	/**
	 * Check the client's failures and reserve this attempt. Past the block threshold on
	 * any key the request is blocked; otherwise the attempt is reserved on each key
	 * ({@link FailureCounter#tryAcquire}), so that concurrent attempts of one client
	 * count against the threshold while they are in flight.
	 * @param context the verification context, naming the client and account
	 * @return the admission: how long the client is blocked, or whether it must step up
	 * and the keys reserved
	 */
	Admission admit(VerificationContext context) {
		if (this.failureCounter == null || this.abuse == null) {
			return Admission.NONE;
		}
		List<String> keys = abuseKeys(context);
		boolean stepUp = false;
		Duration blockedFor = null;
		int blockAfter = this.abuse.blockAfter();
		for (String key : keys) {
			long failures = this.failureCounter.count(key);
			if (blockAfter > 0 && failures >= blockAfter) {
				// blocked on several keys (IP and account): wait for the last block to
				// end
				blockedFor = longer(blockedFor, this.failureCounter.remaining(key));
			}
			stepUp |= this.abuse.stepUpAfter() > 0 && failures >= this.abuse.stepUpAfter();
		}
		List<String> reserved = new ArrayList<>(keys.size());
		List<String> unreserved = new ArrayList<>(keys.size());
		if (blockedFor == null && blockAfter > 0) {
			for (String key : keys) {
				FailureCounter.Acquisition acquisition = this.failureCounter.tryAcquire(key, blockAfter,
						this.abuse.window());
				if (acquisition == FailureCounter.Acquisition.REFUSED) {
					// lost a race for the last attempts of the window: give back what was
					// reserved
					reserved.forEach(this.failureCounter::release);
					blockedFor = longer(null, this.failureCounter.remaining(key));
					break;
				}
				((acquisition == FailureCounter.Acquisition.RESERVED) ? reserved : unreserved).add(key);
			}
		}
		else {
			unreserved.addAll(keys);
		}
		if (blockedFor != null) {
			return new Admission(blockedFor.isZero() ? Duration.ofSeconds(1) : blockedFor, false, List.of(), List.of());
		}
		return new Admission(null, stepUp, reserved, unreserved);
	}

	/**
	 * Settle the attempt: a failure keeps its reservation (or is counted, where nothing
	 * was reserved); anything else gives the reservation back, so that verifications that
	 * pass never block a client.
	 * @param admission the admission of the attempt
	 * @param outcome the outcome of the verification
	 */
	void settle(Admission admission, VerificationOutcome outcome) {
		FailureCounter counter = this.failureCounter;
		AbuseSettings settings = this.abuse;
		if (counter == null || settings == null || admission.blockedFor() != null) {
			return;
		}
		boolean failed = countsAsFailure(outcome);
		for (String key : admission.reserved()) {
			if (!failed) {
				counter.release(key);
			}
		}
		for (String key : admission.unreserved()) {
			if (failed) {
				counter.increment(key, settings.window());
			}
		}
	}

	private static Duration longer(@Nullable Duration current, Duration candidate) {
		return (current == null || candidate.compareTo(current) > 0) ? candidate : current;
	}

	/**
	 * Whether an outcome counts as a failure of the client. An escalation does (a bot
	 * answering every escalation with another weak token must reach the block threshold
	 * too); an unavailable provider or store, a full replay cache and a rate limit are
	 * not the client's doing.
	 * @param outcome the outcome of a verification
	 * @return whether the outcome counts against the client
	 */
	private static boolean countsAsFailure(VerificationOutcome outcome) {
		return !outcome.passed() && outcome != VerificationOutcome.PROVIDER_UNAVAILABLE
				&& outcome != VerificationOutcome.STORE_UNAVAILABLE && outcome != VerificationOutcome.RATE_LIMITED
				&& outcome != VerificationOutcome.REPLAY_CACHE_FULL;
	}

	/**
	 * The keys failures are counted under: the client IP and, when known, the account.
	 * @param context the verification context
	 * @return the keys, the client IP first
	 */
	static List<String> abuseKeys(VerificationContext context) {
		List<String> keys = new ArrayList<>(2);
		if (context.clientIp() != null) {
			keys.add("ip:" + context.clientIp());
		}
		if (context.account() != null && !context.account().isBlank()) {
			keys.add("account:" + context.account().trim().toLowerCase(Locale.ROOT));
		}
		return keys;
	}

	/**
	 * What abuse control decided before a verification.
	 *
	 * @param blockedFor how long the client is blocked, or null if it is not
	 * @param stepUp whether the client is past the step-up threshold
	 * @param reserved the keys the attempt holds a reservation on
	 * @param unreserved the keys a failure is to be counted on afterwards
	 */
	record Admission(@Nullable Duration blockedFor, boolean stepUp, List<String> reserved, List<String> unreserved) {

		static final Admission NONE = new Admission(null, false, List.of(), List.of());

	}

}
