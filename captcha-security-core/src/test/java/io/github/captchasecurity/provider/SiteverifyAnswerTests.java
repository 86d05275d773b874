package io.github.captchasecurity.provider;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.github.captchasecurity.http.HttpResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link SiteverifyAnswer}: lenient reading of siteverify answers, strict
 * verdict.
 */
class SiteverifyAnswerTests {

	@Test
	void parseWhenFullAnswerThenEveryFieldRead() {
		SiteverifyAnswer answer = parse("{\"success\": true, \"error-codes\": [], \"hostname\": \"example.com\", "
				+ "\"action\": \"login\", \"cdata\": \"session-1\", \"challenge_ts\": \"2024-05-01T10:15:30Z\", "
				+ "\"score\": 0.7}");

		assertThat(answer).isEqualTo(new SiteverifyAnswer(true, List.of(), "example.com", "login", "session-1",
				Instant.parse("2024-05-01T10:15:30Z"), 0.7));
	}

	@Test
	void parseWhenOnlySuccessThenOtherFieldsAbsent() {
		SiteverifyAnswer answer = parse("{\"success\": false}");

		assertThat(answer).isNotNull();
		assertThat(answer.success()).isFalse();
		assertThat(answer.errorCodes()).isEmpty();
		assertThat(answer.hostname()).isNull();
		assertThat(answer.action()).isNull();
		assertThat(answer.cdata()).isNull();
		assertThat(answer.challengeTimestamp()).isNull();
		assertThat(answer.score()).isNull();
	}

	@Test
	void parseWhenUnknownFieldsThenIgnored() {
		SiteverifyAnswer answer = parse("{\"success\": true, \"hostname\": \"example.com\", \"credit\": false, "
				+ "\"metadata\": {\"ephemeral_id\": \"x:9f78e0ed\", \"interactive\": true}, \"messages\": [], "
				+ "\"score_reason\": [\"safe\"], \"nested\": {\"success\": false}, \"x\": null}");

		assertThat(answer).isNotNull();
		assertThat(answer.success()).isTrue();
		assertThat(answer.hostname()).isEqualTo("example.com");
		assertThat(answer.errorCodes()).isEmpty();
	}

	@Test
	void parseWhenFieldsHaveWrongTypesThenReadAsAbsent() {
		SiteverifyAnswer answer = parse(
				"{\"success\": true, \"hostname\": 42, \"action\": [\"login\"], " + "\"cdata\": {\"v\": 1}}");

		assertThat(answer).isNotNull();
		assertThat(answer.success()).isTrue();
		assertThat(answer.hostname()).isNull();
		assertThat(answer.action()).isNull();
		assertThat(answer.cdata()).isNull();
	}

	@Test
	void parseWhenFailureHasWrongTypesThenReadAsAbsent() {
		SiteverifyAnswer answer = parse("{\"success\": false, \"hostname\": 42, \"action\": [\"login\"], "
				+ "\"cdata\": {\"v\": 1}, \"challenge_ts\": 1714558530, \"score\": \"0.9\"}");

		assertThat(answer).isNotNull();
		assertThat(answer.success()).isFalse();
		assertThat(answer.hostname()).isNull();
		assertThat(answer.action()).isNull();
		assertThat(answer.cdata()).isNull();
		assertThat(answer.challengeTimestamp()).isNull();
		assertThat(answer.score()).isNull();
	}

	@Test
	void parseWhenScoreIsNullThenAbsent() {
		assertThat(parse("{\"success\": true, \"score\": null}").score()).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "true", "\"0.9\"", "\"NaN\"", "1.5", "-0.1", "1.0000001", "1e400", "[0.9]" })
	void parseWhenPassHasScoreThatIsNotBetweenZeroAndOneThenNull(String score) {
		assertThat(parse("{\"success\": true, \"score\": " + score + "}")).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"success\": false, \"success\": true}", "{\"success\": true, \"success\": true}",
			"{\"success\": true, \"score\": 0.1, \"score\": 0.9}",
			"{\"success\": true, \"metadata\": {\"a\": 1, \"a\": 2}}" })
	void parseWhenAnyKeyDuplicatedThenNull(String body) {
		assertThat(parse(body)).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "invalid-input-secret", "missing-input-secret", "timeout-or-duplicate", "bad-request" })
	void parseWhenPassCarriesErrorCodeThenNull(String code) {
		assertThat(parse("{\"success\": true, \"error-codes\": [\"" + code + "\"]}")).isNull();
	}

	@Test
	void parseWhenScoreIsIntegerThenReadAsDouble() {
		assertThat(parse("{\"success\": true, \"score\": 1}").score()).isEqualTo(1.0);
		assertThat(parse("{\"success\": true, \"score\": 0}").score()).isEqualTo(0.0);
	}

	@Test
	void parseWhenFailureScoreOverflowsDoubleThenAbsent() {
		assertThat(parse("{\"success\": false, \"score\": 1e400}").score()).isNull();
	}

	@Test
	void parseWhenErrorCodesHaveNonStringEntriesThenThoseSkipped() {
		SiteverifyAnswer answer = parse("{\"success\": false, \"error-codes\": [\"bad-request\", 7, null, "
				+ "{\"code\": \"x\"}, \"timeout-or-duplicate\"]}");

		assertThat(answer.errorCodes()).containsExactly("bad-request", "timeout-or-duplicate");
	}

	@Test
	void parseWhenErrorCodesIsSingleStringThenOneCode() {
		SiteverifyAnswer answer = parse("{\"success\": false, \"error-codes\": \"timeout-or-duplicate\"}");

		assertThat(answer.errorCodes()).containsExactly("timeout-or-duplicate");
		assertThat(answer.hasAny("timeout-or-duplicate")).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"success\": false, \"error-codes\": null}", "{\"success\": false, \"error-codes\": 5}",
			"{\"success\": false, \"error-codes\": {}}", "{\"success\": false, \"errorCodes\": [\"bad-request\"]}" })
	void parseWhenErrorCodesUnreadableThenEmpty(String body) {
		assertThat(parse(body).errorCodes()).isEmpty();
	}

	@Test
	void parseWhenAndroidAnswerThenPackageNameIsHostname() {
		SiteverifyAnswer answer = parse("{\"success\": true, \"apk_package_name\": \"com.example.app\"}");

		assertThat(answer.hostname()).isEqualTo("com.example.app");
	}

	@Test
	void parseWhenHostnameAndPackageNameThenHostnameWins() {
		SiteverifyAnswer answer = parse(
				"{\"success\": true, \"hostname\": \"example.com\", \"apk_package_name\": \"com.example.app\"}");

		assertThat(answer.hostname()).isEqualTo("example.com");
	}

	@Test
	void parseWhenHostnameNotAStringThenPackageNameUsed() {
		SiteverifyAnswer answer = parse("{\"success\": true, \"hostname\": null, \"apk_package_name\": \"com.x\"}");

		assertThat(answer.hostname()).isEqualTo("com.x");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "2021-10-02T18:12:10.149Z, 2021-10-02T18:12:10.149Z",
			"2022-02-28T15:14:30.096Z, 2022-02-28T15:14:30.096Z", "2019-01-11T13:57:23Z, 2019-01-11T13:57:23Z",
			"2024-05-01T10:15:30.123456789Z, 2024-05-01T10:15:30.123456789Z",
			"2024-05-01T12:15:30.149+02:00, 2024-05-01T10:15:30.149Z",
			"2024-05-01T12:15:30.149+0200, 2024-05-01T10:15:30.149Z",
			"2024-05-01T10:15:30.149, 2024-05-01T10:15:30.149Z", "2024-05-01t10:15:30.149z, 2024-05-01T10:15:30.149Z" })
	void parseWhenTimestampInAnyIsoFormThenInstant(String text, String expected) {
		SiteverifyAnswer answer = parse("{\"success\": true, \"challenge_ts\": \"" + text + "\"}");

		assertThat(answer.challengeTimestamp()).isEqualTo(Instant.parse(expected));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "  " })
	void parseWhenTimestampBlankThenAbsentButAnswerKept(String text) {
		SiteverifyAnswer answer = parse("{\"success\": true, \"challenge_ts\": \"" + text + "\"}");

		assertThat(answer).isNotNull();
		assertThat(answer.success()).isTrue();
		assertThat(answer.challengeTimestamp()).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"yesterday\"", "\"2024-13-01T10:15:30Z\"", "\"1714558530\"", "\"2024-05-01\"",
			"1714558530", "true" })
	void parseWhenPassHasUnreadableTimestampThenNull(String value) {
		assertThat(parse("{\"success\": true, \"challenge_ts\": " + value + "}")).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "yesterday", "2024-13-01T10:15:30Z", "1714558530", "2024-05-01" })
	void parseWhenFailureHasUnreadableTimestampThenAbsentButAnswerKept(String text) {
		SiteverifyAnswer answer = parse("{\"success\": false, \"challenge_ts\": \"" + text + "\"}");

		assertThat(answer).isNotNull();
		assertThat(answer.challengeTimestamp()).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "not json", "[]", "[{\"success\": true}]", "\"success\"", "true", "null",
			"{\"success\": \"true\"}", "{\"success\": 1}", "{\"success\": null}", "{\"hostname\": \"example.com\"}",
			"{\"success\": true", "{\"Success\": true}" })
	void parseWhenNoBooleanSuccessThenNull(String body) {
		assertThat(parse(body)).isNull();
	}

	@ParameterizedTest
	@ValueSource(ints = { 199, 301, 400, 403, 429, 500, 503 })
	void parseWhenStatusNotSuccessfulThenNullEvenWithValidBody(int status) {
		HttpResult result = new HttpResult(status, "application/json",
				"{\"success\": true}".getBytes(StandardCharsets.UTF_8));

		assertThat(SiteverifyAnswer.parse(result)).isNull();
	}

	@ParameterizedTest
	@ValueSource(ints = { 200, 201, 299 })
	void parseWhenAnySuccessfulStatusThenRead(int status) {
		HttpResult result = new HttpResult(status, "text/plain",
				"{\"success\": true}".getBytes(StandardCharsets.UTF_8));

		assertThat(SiteverifyAnswer.parse(result)).isNotNull();
	}

	@Test
	void parseWhenBodyHasUtf8ThenDecoded() {
		SiteverifyAnswer answer = parse("{\"success\": true, \"hostname\": \"b\u00fccher.example\"}");

		assertThat(answer.hostname()).isEqualTo("b\u00fccher.example");
	}

	@Test
	void hasAnyWhenNoneOfTheCodesThenFalse() {
		SiteverifyAnswer answer = new SiteverifyAnswer(false, List.of("bad-request"), null, null, null, null, null);

		assertThat(answer.hasAny("timeout-or-duplicate", "internal-error")).isFalse();
		assertThat(answer.hasAny()).isFalse();
		assertThat(answer.hasAny("internal-error", "bad-request")).isTrue();
	}

	@Test
	void constructorWhenErrorCodesMutatedAfterwardsThenAnswerUnchanged() {
		List<String> codes = new ArrayList<>(List.of("bad-request"));
		SiteverifyAnswer answer = new SiteverifyAnswer(false, codes, null, null, null, null, null);

		codes.add("internal-error");

		assertThat(answer.errorCodes()).containsExactly("bad-request");
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> answer.errorCodes().add("x"));
	}

	private static SiteverifyAnswer parse(String body) {
		return SiteverifyAnswer.parse(new HttpResult(200, "application/json", body.getBytes(StandardCharsets.UTF_8)));
	}

}
