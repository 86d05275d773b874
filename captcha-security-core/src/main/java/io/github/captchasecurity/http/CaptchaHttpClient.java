package io.github.captchasecurity.http;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * Sends verification requests to providers. Tokens and secrets always travel in the body
 * or in headers, never in the URL. Implementations are thread-safe and bound every
 * exchange by their timeouts.
 *
 * @since 0.1.0
 */
public interface CaptchaHttpClient extends AutoCloseable {

	/**
	 * POST an {@code application/x-www-form-urlencoded} body.
	 * @param uri the endpoint
	 * @param form the form fields, in order
	 * @param headers extra request headers
	 * @return the answer, whatever its status
	 * @throws IOException on a connection failure, a timeout or an answer too large to
	 * read
	 */
	HttpResult postForm(URI uri, Map<String, String> form, Map<String, String> headers) throws IOException;

	/**
	 * POST an {@code application/json} body.
	 * @param uri the endpoint
	 * @param json the JSON document, UTF-8
	 * @param headers extra request headers
	 * @return the answer, whatever its status
	 * @throws IOException on a connection failure, a timeout or an answer too large to
	 * read
	 */
	HttpResult postJson(URI uri, byte[] json, Map<String, String> headers) throws IOException;

	/**
	 * Create the default client on Apache HttpClient 5 with a connection pool.
	 * @param settings the timeouts and pool size
	 * @return a new client; close it when done
	 */
	static CaptchaHttpClient create(HttpClientSettings settings) {
		return new ApacheCaptchaHttpClient(settings);
	}

	/**
	 * Release the connections and threads of this client.
	 */
	@Override
	void close();

}
