package io.github.captchasecurity.provider.builtin;

import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The kinds of challenge the built-in provider issues.
 *
 * @since 0.1.0
 */
public enum ChallengeType {

	/** Distorted text in an image; the answer is the text, case-insensitive. */
	IMAGE,

	/**
	 * A small arithmetic question, as text (or optionally as an image). Weak: a script
	 * parses the question. Allow it only where accessibility matters more than bots.
	 */
	MATH,

	/**
	 * A 3x3 grid of tiles; the answer is the exact set of tiles showing the named shape.
	 */
	GRID,

	/**
	 * An ALTCHA v1 proof of work solved by the browser; no user interaction. Weak: a
	 * script solves it in milliseconds; it proves work (raising a bot's cost), not
	 * humanity.
	 */
	POW;

	/**
	 * Return the lower-case wire name.
	 * @return the name, such as {@code image}
	 */
	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Return the type escalations ask for by default: the strongest of the allowed ones,
	 * in the order grid, image, math, pow.
	 * @param allowed the types the site keys allow, not empty
	 * @return the type
	 */
	public static ChallengeType strongest(Set<ChallengeType> allowed) {
		for (ChallengeType type : new ChallengeType[] { GRID, IMAGE, MATH, POW }) {
			if (allowed.contains(type)) {
				return type;
			}
		}
		return GRID;
	}

	/**
	 * Parse a wire name.
	 * @param name the name, ignoring case
	 * @return the type, or null if unknown
	 */
	public static @Nullable ChallengeType fromWireName(@Nullable String name) {
		if (name == null) {
			return null;
		}
		for (ChallengeType type : values()) {
			if (type.wireName().equalsIgnoreCase(name.trim())) {
				return type;
			}
		}
		return null;
	}

}
