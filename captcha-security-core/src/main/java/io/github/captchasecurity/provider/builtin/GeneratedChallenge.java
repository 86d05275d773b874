package io.github.captchasecurity.provider.builtin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A freshly issued challenge as sent to the client. Immutable.
 *
 * @param captchaId the id to validate it with
 * @param type the type
 * @param image the base64 PNG, or null (math as text, pow)
 * @param question the question to show, or null (image, pow)
 * @param expiresIn seconds until it expires
 * @param label for grid: the label of the wanted shape ({@code /shape/triangle}), else
 * null
 * @param size for grid: the image size in pixels, else 0
 * @param pow for pow: the ALTCHA challenge members (v1: {@code algorithm},
 * {@code challenge}, {@code maxnumber}, {@code salt}, {@code signature}; v2:
 * {@code parameters}, {@code signature}), else empty
 * @since 0.1.0
 */
public record GeneratedChallenge(String captchaId, ChallengeType type, @Nullable String image,
		@Nullable String question, long expiresIn, @Nullable String label, int size, Map<String, Object> pow) {

	/**
	 * Create a generated challenge.
	 * @param captchaId the id
	 * @param type the type
	 * @param image the image or null
	 * @param question the question or null
	 * @param expiresIn the lifetime in seconds
	 * @param label the grid label or null
	 * @param size the grid size or 0
	 * @param pow the proof-of-work members
	 */
	public GeneratedChallenge {
		Objects.requireNonNull(captchaId, "captchaId");
		Objects.requireNonNull(type, "type");
		pow = Map.copyOf(pow);
	}

	/**
	 * Return the JSON members of the generate API's answer, in order.
	 * @return the members
	 */
	public Map<String, Object> toJson() {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("captcha_id", this.captchaId);
		json.put("type", this.type.wireName());
		if (this.image != null) {
			json.put("image", this.image);
		}
		if (this.question != null) {
			json.put("question", this.question);
		}
		json.put("expires_in", this.expiresIn);
		if (this.type == ChallengeType.GRID) {
			json.put("size", this.size);
			json.put("rows", 3);
			json.put("cols", 3);
			json.put("label", this.label);
		}
		if (this.type == ChallengeType.POW) {
			String[] members = this.pow.containsKey("parameters") ? new String[] { "parameters", "signature" }
					: new String[] { "algorithm", "challenge", "maxnumber", "salt", "signature" };
			for (String key : members) {
				json.put(key, this.pow.get(key));
			}
		}
		return json;
	}

}
