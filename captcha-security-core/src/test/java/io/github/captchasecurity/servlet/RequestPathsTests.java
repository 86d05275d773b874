package io.github.captchasecurity.servlet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RequestPaths}: every spelling the container would dispatch to a route
 * normalizes to that route.
 */
class RequestPathsTests {

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource({ "/api/contact,                       /api/contact", "/api/contact/,                      /api/contact",
			"/api/contact//,                     /api/contact", "//api//contact,                     /api/contact",
			"api/contact,                        /api/contact", "/api/contact;jsessionid=1,          /api/contact",
			"/api;x=1/contact,                   /api/contact", "/api;x=1;y=2/contact;v=3/,          /api/contact",
			"/api/contact?x=1,                   /api/contact", "/api/%63ontact,                     /api/contact",
			"/%61%70%69/%63%6F%6E%74%61%63%74,   /api/contact", "/api/./contact,                     /api/contact",
			"/./api/././contact/.,               /api/contact", "/api/x/../contact,                  /api/contact",
			"/api/x/y/../../contact,             /api/contact", "/api/x/..;/contact,                 /api/contact",
			"/api/x/%2e%2e/contact,              /api/contact", "/api/x/%2E%2E/contact,              /api/contact",
			"/api/%2e/contact,                   /api/contact", "/api%2Fcontact,                     /api/contact",
			"/api%2fcontact,                     /api/contact", "/api/x%2F..%2Fcontact,              /api/contact",
			"/api/x/%252e%252e/contact,          /api/contact", "/api/x/%25252e%25252e/contact,      /api/contact",
			"/api%252Fcontact,                   /api/contact", "/api%5Ccontact,                     /api/contact",
			"/api%5ccontact,                     /api/contact", "/api/x%5C..%5Ccontact,              /api/contact",
			"/api%255Ccontact,                   /api/contact", "/../api/contact,                    /api/contact",
			"/api/contact/x/..,                  /api/contact" })
	void normalizeWhenPathSpelledDifferentlyThenCanonicalPath(String rawPath, String expected) {
		assertThat(RequestPaths.normalize(rawPath)).isEqualTo(expected);
	}

	@ParameterizedTest(name = "''{0}'' -> {1}")
	@CsvSource({ "'',          /", "/,           /", "//,          /", "/.,          /", "/..,         /",
			"/;x=1,       /", "/a/..,       /", "/%2e%2e/..,  /" })
	void normalizeWhenRootOrEmptyThenSlash(String rawPath, String expected) {
		assertThat(RequestPaths.normalize(rawPath)).isEqualTo(expected);
	}

	@Test
	void normalizeWhenDoubleEncodedDotDotThenResolvedAgainstParent() {
		assertThat(RequestPaths.normalize("/api/%252e%252e/contact")).isEqualTo("/contact");
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource({ "/api/contact%,       /api/contact%", "/api/contact%2,      /api/contact%2",
			"/api/contact%zz,     /api/contact%zz", "/api/%C3%A9t%C3%A9,  /api/\u00e9t\u00e9",
			"/api/a%20b,          /api/a b", "/API/Contact,        /API/Contact" })
	void normalizeWhenOtherEncodingsThenDecodedOrKept(String rawPath, String expected) {
		assertThat(RequestPaths.normalize(rawPath)).isEqualTo(expected);
	}

	@Test
	void normalizeWhenDifferentRouteThenNotCollapsedOntoProtectedRoute() {
		assertThat(RequestPaths.normalize("/api/contacts")).isEqualTo("/api/contacts");
		assertThat(RequestPaths.normalize("/api/contact.json")).isEqualTo("/api/contact.json");
		assertThat(RequestPaths.normalize("/api/contact/extra")).isEqualTo("/api/contact/extra");
	}

	@ParameterizedTest(name = "{0} + {1} -> {2}")
	@CsvSource({ "/app,  /app/api/contact,            /api/contact", "/app,  /app/api/contact/,           /api/contact",
			"/app,  /app//api/./contact,         /api/contact", "/app,  /app;jsessionid=1/api/contact, /api/contact",
			"/app,  /app/api/%63ontact,          /api/contact", "/app,  /app,                        /",
			"/app,  /app/,                       /", "/app,  /application/api/contact,    /application/api/contact",
			"/my%20app, /my%20app/api/contact,   /api/contact", "'',    /api/contact,                /api/contact",
			"/,     /api/contact,                /api/contact" })
	void pathWithinApplicationWhenContextPathThenStripped(String contextPath, String requestUri, String expected) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", requestUri);
		request.setContextPath(contextPath);
		request.setRequestURI(requestUri);

		assertThat(RequestPaths.pathWithinApplication(request)).isEqualTo(expected);
	}

	@Test
	void pathWithinApplicationWhenNoRequestUriThenSlash() {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setRequestURI(null);

		assertThat(RequestPaths.pathWithinApplication(request)).isEqualTo("/");
	}

}
