package io.github.captchasecurity.servlet;

import java.util.Locale;

import org.springframework.mock.web.MockHttpServletRequest;

/**
 * A {@link MockHttpServletRequest} that keeps its content type as given.
 * {@link MockHttpServletRequest#setContentType(String)} parses the value with
 * spring-web's {@code MediaType}, which is not on this module's test classpath;
 * everything else is the mock's own behaviour.
 */
public class TestRequest extends MockHttpServletRequest {

	private String contentType;

	public TestRequest(String method, String requestUri) {
		super(method, requestUri);
	}

	@Override
	public void setContentType(String contentType) {
		this.contentType = contentType;
		if (contentType != null) {
			int charset = contentType.toLowerCase(Locale.ROOT).indexOf("charset=");
			if (charset >= 0) {
				setCharacterEncoding(contentType.substring(charset + "charset=".length()).trim());
			}
		}
	}

	@Override
	public String getContentType() {
		return this.contentType;
	}

}
