package io.github.captchasecurity.web;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.mockito.BDDMockito.then;

@ExtendWith(MockitoExtension.class)
class StandaloneCaptchaFilterTests {

	@Mock
	private Filter delegate;

	@Mock
	private FilterChain chain;

	private final CaptchaFilterSwitch filterSwitch = new CaptchaFilterSwitch();

	private final MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/contact");

	private final MockHttpServletResponse response = new MockHttpServletResponse();

	@Test
	void doFilterWhenStandaloneThenDelegates() throws Exception {
		assertThat(this.filterSwitch.isStandalone()).isTrue();
		new StandaloneCaptchaFilter(this.delegate, this.filterSwitch).doFilter(this.request, this.response, this.chain);
		then(this.delegate).should().doFilter(this.request, this.response, this.chain);
		then(this.chain).shouldHaveNoInteractions();
	}

	@Test
	void doFilterWhenHandedOverToSecurityFilterChainThenOnlyTheChainRuns() throws Exception {
		this.filterSwitch.handOverToSecurityFilterChain((request) -> request.getRequestURI().startsWith("/api/"));
		assertThat(this.filterSwitch.isStandalone()).isFalse();
		new StandaloneCaptchaFilter(this.delegate, this.filterSwitch).doFilter(this.request, this.response, this.chain);
		then(this.chain).should().doFilter(this.request, this.response);
		then(this.delegate).shouldHaveNoInteractions();
	}

	@Test
	void doFilterWhenRequestNotServedBySecurityFilterChainThenStillDelegates() throws Exception {
		this.filterSwitch.handOverToSecurityFilterChain((request) -> request.getRequestURI().startsWith("/login"));
		new StandaloneCaptchaFilter(this.delegate, this.filterSwitch).doFilter(this.request, this.response, this.chain);
		then(this.delegate).should().doFilter(this.request, this.response, this.chain);
		then(this.chain).shouldHaveNoInteractions();
	}

	@Test
	void constructorWhenNullThenIllegalArgumentException() {
		assertThatIllegalArgumentException().isThrownBy(() -> new StandaloneCaptchaFilter(null, this.filterSwitch))
			.withMessage("delegate cannot be null");
		assertThatIllegalArgumentException().isThrownBy(() -> new StandaloneCaptchaFilter(this.delegate, null))
			.withMessage("filterSwitch cannot be null");
	}

}
