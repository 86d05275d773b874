package io.github.captchasecurity.provider.builtin;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The kinds of challenge the built-in provider issues.
 *
 * @since 0.1.0
 */
public enum ChallengeType {

	/** Distorted text in an image; the answer is the text, case-insensitive. */
	IMAGE,

	/** A small arithmetic question, as text (or optionally as an image). Weak against bots; accessible. */
	MATH,

	/** A 3x3 grid of tiles; the answer is the exact set of tiles showing the named shape. */
	GRID,

	/** An ALTCHA v1 proof of work solved by the browser; no user interaction. */
	POW;

	/**
	 * Return the lower-case wire name.
	 * @return the name, such as {@code image}
	 */
	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
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
