package io.github.captchasecurity.provider.builtin;

import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The proof-of-work complexity of challenges generated for a site key, an action, or
 * both: the largest secret number (v1 {@code maxnumber}, v2 counter) and the v2 cost.
 *
 * @param siteKey the site key (plain or {@code sha256:<hex>}), or null for any
 * @param action the action (case-insensitive), or null for any
 * @param maxNumber the largest secret number, 1,000 to 10,000,000
 * @param cost the v2 cost per try, 1 to 100,000
 * @since 0.1.0
 */
public record PowComplexity(@Nullable String siteKey, @Nullable String action, int maxNumber, int cost) {

	/**
	 * Check the arguments.
	 * @param siteKey the site key or null
	 * @param action the action or null
	 * @param maxNumber the maximum number
	 * @param cost the cost
	 * @throws IllegalArgumentException if an argument is out of range
	 */
	public PowComplexity {
		if (siteKey != null) {
			SiteKeys.requireValid(siteKey);
		}
		if (action != null && !action.matches("[A-Za-z0-9/_-]{1,64}")) {
			throw new IllegalArgumentException("action must be 1 to 64 letters, digits, '/', '_' or '-'");
		}
		requireMaxNumber(maxNumber);
		requireCost(cost);
	}

	static int requireMaxNumber(int maxNumber) {
		if (maxNumber < 1_000 || maxNumber > 10_000_000) {
			throw new IllegalArgumentException("maxNumber must be between 1000 and 10000000");
		}
		return maxNumber;
	}

	static int requireCost(int cost) {
		if (cost < 1 || cost > 100_000) {
			throw new IllegalArgumentException("cost must be between 1 and 100000");
		}
		return cost;
	}

	boolean matches(String presentedSiteKey, @Nullable String presentedAction) {
		if (this.action != null && (presentedAction == null
				|| !this.action.toLowerCase(Locale.ROOT).equals(presentedAction.toLowerCase(Locale.ROOT)))) {
			return false;
		}
		return this.siteKey == null || new SiteKeys(Set.of(this.siteKey)).matches(presentedSiteKey);
	}

}
