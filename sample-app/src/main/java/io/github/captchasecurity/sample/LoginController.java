package io.github.captchasecurity.sample;

import io.github.captchasecurity.security.web.CaptchaAuthenticationException;
import io.github.captchasecurity.security.web.CaptchaLoginAttempts;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.WebAttributes;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The login page and the page behind it. The login page asks {@link CaptchaLoginAttempts}
 * whether this client or username must solve a CAPTCHA, and only then renders the widget.
 */
@RestController
class LoginController {

	private final CaptchaLoginAttempts loginAttempts;

	LoginController(CaptchaLoginAttempts loginAttempts) {
		this.loginAttempts = loginAttempts;
	}

	@GetMapping(path = "/login", produces = MediaType.TEXT_HTML_VALUE)
	String login(HttpServletRequest request) {
		CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
		boolean captcha = this.loginAttempts.isCaptchaRequired(request);
		StringBuilder html = new StringBuilder(
				"""
						<!DOCTYPE html>
						<html lang="en">
						<head>
						  <meta charset="utf-8">
						  <title>Log in · captcha-security sample</title>
						  <link rel="stylesheet" href="/sample.css">
						  <script src="/captcha/widget.js" defer></script>
						</head>
						<body>
						<nav><a href="/">Home</a><a href="/contact">Contact</a><a href="/signup">Sign up</a><a href="/login">Log in</a></nav>
						<h1>Log in</h1>
						<p>User <code>alice</code>, password <code>wonderland</code>. After 3 failed logins for a username or
						  from an IP address the form asks for a CAPTCHA.</p>
						""");
		message(request, html);
		html.append("<form id=\"login-form\" method=\"post\" action=\"/login\">\n");
		if (csrf != null) {
			html.append("  <input type=\"hidden\" name=\"")
				.append(HtmlUtils.htmlEscape(csrf.getParameterName()))
				.append("\" value=\"")
				.append(HtmlUtils.htmlEscape(csrf.getToken()))
				.append("\">\n");
		}
		html.append("""
				  <label for="username">Username</label>
				  <input id="username" name="username" type="text" autocomplete="username" value="alice">
				  <label for="password">Password</label>
				  <input id="password" name="password" type="password" autocomplete="current-password">
				""");
		if (captcha) {
			html.append("  <div id=\"captcha\" class=\"captcha-widget\" data-site-key=\"demo-site-key\" "
					+ "data-type=\"image\" data-action=\"login\"></div>\n");
		}
		html.append("""
				  <button type="submit" id="login">Log in</button>
				</form>
				</body>
				</html>
				""");
		return html.toString();
	}

	@GetMapping(path = "/account", produces = MediaType.TEXT_HTML_VALUE)
	String account(Authentication authentication) {
		return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Account</title>"
				+ "<link rel=\"stylesheet\" href=\"/sample.css\"></head><body><h1 id=\"welcome\">Hello, "
				+ HtmlUtils.htmlEscape(authentication.getName()) + "</h1><form method=\"post\" action=\"/logout\">"
				+ "</form><p><a href=\"/\">Home</a></p></body></html>";
	}

	private static void message(HttpServletRequest request, StringBuilder html) {
		String text = null;
		if (request.getParameterMap().containsKey("logout")) {
			text = "You have been logged out.";
		}
		else if (request.getParameterMap().containsKey("error")) {
			Object last = lastException(request.getSession(false));
			text = (last instanceof CaptchaAuthenticationException captcha)
					? "CAPTCHA check failed: " + captcha.getMessage() + ". Please solve the CAPTCHA."
					: "Wrong username or password.";
		}
		if (text != null) {
			html.append("<p id=\"message\" class=\"rejected\" role=\"alert\">")
				.append(HtmlUtils.htmlEscape(text))
				.append("</p>\n");
		}
	}

	private static @Nullable Object lastException(@Nullable HttpSession session) {
		return (session != null) ? session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION) : null;
	}

}
