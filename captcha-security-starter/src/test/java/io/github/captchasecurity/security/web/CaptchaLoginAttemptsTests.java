package io.github.captchasecurity.security.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import io.github.captchasecurity.abuse.CaffeineFailureCounter;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.authentication.event.InteractiveAuthenticationSuccessEvent;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CaptchaLoginAttemptsTests {

	private final MutableClock clock = new MutableClock();

	private final CaptchaLoginAttempts attempts = new CaptchaLoginAttempts(
			new CaffeineFailureCounter(1_000, this.clock), 3, Duration.ofMinutes(15),
			HttpServletRequest::getRemoteAddr);

	@AfterEach
	void resetRequest() {
		RequestContextHolder.resetRequestAttributes();
	}

	@Test
	void isCaptchaRequiredWhenThresholdZeroThenAlways() {
		CaptchaLoginAttempts always = new CaptchaLoginAttempts(0, Duration.ofMinutes(15),
				HttpServletRequest::getRemoteAddr);
		assertThat(always.isCaptchaRequired(null, null)).isTrue();
		assertThat(always.isCaptchaRequired("198.51.100.7", "alice")).isTrue();
	}

	@Test
	void isCaptchaRequiredWhenNoFailuresThenFalse() {
		assertThat(this.attempts.isCaptchaRequired("198.51.100.7", "alice")).isFalse();
		assertThat(this.attempts.isCaptchaRequired(null, null)).isFalse();
	}

	@Test
	void isCaptchaRequiredWhenIpReachesThresholdThenTrueForAnyUsername() {
		this.attempts.recordFailure("198.51.100.7", "a");
		this.attempts.recordFailure("198.51.100.7", "b");
		assertThat(this.attempts.isCaptchaRequired("198.51.100.7", "c")).isFalse();
		this.attempts.recordFailure("198.51.100.7", "c");
		assertThat(this.attempts.isCaptchaRequired("198.51.100.7", "d")).isTrue();
		assertThat(this.attempts.isCaptchaRequired("198.51.100.7", null)).isTrue();
		assertThat(this.attempts.isCaptchaRequired("198.51.100.8", "d")).isFalse();
	}

	@Test
	void isCaptchaRequiredWhenUsernameReachesThresholdThenTrueFromAnyIp() {
		this.attempts.recordFailure("198.51.100.1", "alice");
		this.attempts.recordFailure("198.51.100.2", "Alice");
		this.attempts.recordFailure(null, " ALICE ");
		assertThat(this.attempts.isCaptchaRequired("198.51.100.9", "alice")).isTrue();
		assertThat(this.attempts.isCaptchaRequired(null, "aLiCe")).isTrue();
		assertThat(this.attempts.isCaptchaRequired("198.51.100.9", "bob")).isFalse();
	}

	@Test
	void isCaptchaRequiredWhenWindowEndsThenFalse() {
		for (int i = 0; i < 3; i++) {
			this.attempts.recordFailure("198.51.100.7", "alice");
		}
		this.clock.advance(Duration.ofMinutes(14));
		assertThat(this.attempts.isCaptchaRequired("198.51.100.7", "alice")).isTrue();
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(this.attempts.isCaptchaRequired("198.51.100.7", "alice")).isFalse();
	}

	@Test
	void recordFailureWhenBlankUsernameThenOnlyIpCounted() {
		for (int i = 0; i < 3; i++) {
			this.attempts.recordFailure("198.51.100.7", "  ");
		}
		assertThat(this.attempts.isCaptchaRequired("198.51.100.7", null)).isTrue();
		assertThat(this.attempts.isCaptchaRequired(null, "  ")).isFalse();
	}

	@Test
	void isCaptchaRequiredWhenRequestThenReadsClientIpAndUsernameParameter() {
		CaptchaLoginAttempts byHeader = new CaptchaLoginAttempts(new CaffeineFailureCounter(1_000, this.clock), 1,
				Duration.ofMinutes(15), (request) -> request.getHeader("X-Client"));
		byHeader.setUsernameParameter("user");
		assertThat(byHeader.getUsernameParameter()).isEqualTo("user");
		MockHttpServletRequest failed = new MockHttpServletRequest("POST", "/login");
		failed.addHeader("X-Client", "198.51.100.7");
		failed.setParameter("user", "alice");
		failed.setParameter("username", "ignored");
		byHeader.recordFailure(failed);
		assertThat(byHeader.isCaptchaRequired("198.51.100.7", null)).isTrue();
		assertThat(byHeader.isCaptchaRequired(null, "alice")).isTrue();
		assertThat(byHeader.isCaptchaRequired(null, "ignored")).isFalse();
		MockHttpServletRequest page = new MockHttpServletRequest("GET", "/login");
		page.addHeader("X-Client", "198.51.100.7");
		assertThat(byHeader.isCaptchaRequired(page)).isTrue();
		MockHttpServletRequest other = new MockHttpServletRequest("GET", "/login");
		other.addHeader("X-Client", "198.51.100.8");
		assertThat(byHeader.isCaptchaRequired(other)).isFalse();
		other.setParameter("user", "ALICE");
		assertThat(byHeader.isCaptchaRequired(other)).isTrue();
	}

	@Test
	void onApplicationEventWhenFailureDuringRequestThenCountedForClientIpAndUsername() {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/login");
		request.setRemoteAddr("198.51.100.7");
		RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
		for (int i = 0; i < 3; i++) {
			this.attempts.onApplicationEvent(failure("alice"));
		}
		assertThat(this.attempts.isCaptchaRequired("198.51.100.7", "bob")).isTrue();
		assertThat(this.attempts.isCaptchaRequired("198.51.100.8", "alice")).isTrue();
		assertThat(this.attempts.isCaptchaRequired("198.51.100.8", "bob")).isFalse();
	}

	@Test
	void onApplicationEventWhenFailureOutsideRequestThenOnlyUsernameCounted() {
		for (int i = 0; i < 3; i++) {
			this.attempts.onApplicationEvent(failure("alice"));
		}
		assertThat(this.attempts.isCaptchaRequired(null, "alice")).isTrue();
		assertThat(this.attempts.isCaptchaRequired("127.0.0.1", "bob")).isFalse();
	}

	@Test
	void onApplicationEventWhenSuccessThenUsernameClearedButIpKept() {
		for (int i = 0; i < 3; i++) {
			this.attempts.recordFailure("198.51.100.7", "alice");
		}
		this.attempts.onApplicationEvent(new AuthenticationSuccessEvent(authenticated("ALICE")));
		assertThat(this.attempts.isCaptchaRequired("198.51.100.8", "alice")).isFalse();
		assertThat(this.attempts.isCaptchaRequired("198.51.100.7", "bob")).isTrue();
	}

	@Test
	void onApplicationEventWhenInteractiveSuccessThenNothingChanges() {
		for (int i = 0; i < 3; i++) {
			this.attempts.recordFailure("198.51.100.7", "alice");
		}
		this.attempts.onApplicationEvent(new InteractiveAuthenticationSuccessEvent(authenticated("alice"), getClass()));
		assertThat(this.attempts.isCaptchaRequired("198.51.100.8", "alice")).isTrue();
	}

	@Test
	void constructorWhenNegativeThresholdThenIllegalArgumentException() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CaptchaLoginAttempts(-1, Duration.ofMinutes(1), HttpServletRequest::getRemoteAddr))
			.withMessage("failuresBeforeCaptcha cannot be negative");
	}

	@Test
	void constructorWhenNullCollaboratorThenIllegalArgumentException() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CaptchaLoginAttempts(3, null, HttpServletRequest::getRemoteAddr))
			.withMessage("window cannot be null");
		assertThatIllegalArgumentException().isThrownBy(() -> new CaptchaLoginAttempts(3, Duration.ofMinutes(1), null))
			.withMessage("clientIp cannot be null");
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> new CaptchaLoginAttempts(null, 3, Duration.ofMinutes(1), HttpServletRequest::getRemoteAddr))
			.withMessage("counter cannot be null");
	}

	@Test
	void setUsernameParameterWhenEmptyThenIllegalArgumentException() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.attempts.setUsernameParameter(" "))
			.withMessage("usernameParameter cannot be empty");
	}

	private static AuthenticationFailureBadCredentialsEvent failure(String username) {
		return new AuthenticationFailureBadCredentialsEvent(
				UsernamePasswordAuthenticationToken.unauthenticated(username, "wrong"),
				new BadCredentialsException("Bad credentials"));
	}

	private static UsernamePasswordAuthenticationToken authenticated(String username) {
		return UsernamePasswordAuthenticationToken.authenticated(username, null,
				AuthorityUtils.createAuthorityList("ROLE_USER"));
	}

	private static final class MutableClock extends Clock {

		private Instant now = Instant.parse("2026-01-01T00:00:00Z");

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
