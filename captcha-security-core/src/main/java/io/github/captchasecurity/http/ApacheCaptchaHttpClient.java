package io.github.captchasecurity.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.entity.UrlEncodedFormEntity;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.NameValuePair;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.message.BasicNameValuePair;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

/**
 * {@link CaptchaHttpClient} on Apache HttpClient 5 classic, pooled, with a hard deadline
 * per exchange.
 */
final class ApacheCaptchaHttpClient implements CaptchaHttpClient {

	/**
	 * Answers larger than this are not read: no provider sends more than a few kilobytes.
	 */
	static final int MAX_RESPONSE_BYTES = 256 * 1024;

	private final PoolingHttpClientConnectionManager connectionManager;

	private final CloseableHttpClient client;

	private final ExchangeDeadlines deadlines;

	private final long deadlineMillis;

	ApacheCaptchaHttpClient(HttpClientSettings settings) {
		Timeout connectTimeout = Timeout.ofMilliseconds(settings.connectTimeout().toMillis());
		Timeout responseTimeout = Timeout.ofMilliseconds(settings.responseTimeout().toMillis());
		this.connectionManager = PoolingHttpClientConnectionManagerBuilder.create()
			.setMaxConnTotal(settings.maxConnections())
			.setMaxConnPerRoute(settings.maxConnections())
			.setDefaultConnectionConfig(ConnectionConfig.custom()
				.setConnectTimeout(connectTimeout)
				.setSocketTimeout(responseTimeout)
				.setTimeToLive(TimeValue.ofMinutes(5))
				.setValidateAfterInactivity(TimeValue.ofSeconds(2))
				.build())
			.build();
		this.client = HttpClients.custom()
			.setConnectionManager(this.connectionManager)
			.setDefaultRequestConfig(RequestConfig.custom()
				.setConnectionRequestTimeout(connectTimeout)
				.setResponseTimeout(responseTimeout)
				.build())
			.disableAutomaticRetries()
			.disableRedirectHandling()
			.disableCookieManagement()
			.disableAuthCaching()
			.evictExpiredConnections()
			.evictIdleConnections(TimeValue.ofSeconds(30))
			.setUserAgent("captcha-security")
			.build();
		this.deadlineMillis = settings.connectTimeout().toMillis() + settings.responseTimeout().toMillis();
		this.deadlines = new ExchangeDeadlines(Duration.ofMillis(this.deadlineMillis));
	}

	@Override
	public HttpResult postForm(URI uri, Map<String, String> form, Map<String, String> headers) throws IOException {
		List<NameValuePair> pairs = new ArrayList<>(form.size());
		form.forEach((name, value) -> pairs.add(new BasicNameValuePair(name, value)));
		return execute(uri, new UrlEncodedFormEntity(pairs, StandardCharsets.UTF_8), headers);
	}

	@Override
	public HttpResult postJson(URI uri, byte[] json, Map<String, String> headers) throws IOException {
		return execute(uri, new ByteArrayEntity(json, ContentType.APPLICATION_JSON), headers);
	}

	private HttpResult execute(URI uri, HttpEntity entity, Map<String, String> headers) throws IOException {
		HttpPost post = new HttpPost(uri);
		post.setEntity(entity);
		post.setHeader("Accept", "application/json");
		headers.forEach(post::setHeader);
		ExchangeDeadlines.Exchange exchange = this.deadlines.start(post);
		try {
			return this.client.execute(post, ApacheCaptchaHttpClient::read);
		}
		catch (IOException ex) {
			if (post.isCancelled()) {
				// a timeout for callers that classify failures (ProviderCallStatus)
				SocketTimeoutException timeout = new SocketTimeoutException(
						"No answer from " + uri.getHost() + " within " + this.deadlineMillis + " ms");
				timeout.initCause(ex);
				throw timeout;
			}
			throw ex;
		}
		finally {
			this.deadlines.end(exchange);
		}
	}

	private static HttpResult read(ClassicHttpResponse response) throws IOException {
		HttpEntity entity = response.getEntity();
		byte[] body = new byte[0];
		String contentType = null;
		if (entity != null) {
			contentType = mediaType(entity.getContentType());
			long length = entity.getContentLength();
			try (InputStream in = entity.getContent()) {
				body = (length >= 0 && length <= MAX_RESPONSE_BYTES) ? readDeclared(in, (int) length)
						: in.readNBytes(MAX_RESPONSE_BYTES + 1);
			}
			if (body.length > MAX_RESPONSE_BYTES) {
				throw new IOException("Answer larger than " + MAX_RESPONSE_BYTES + " bytes");
			}
		}
		return new HttpResult(response.getCode(), contentType, body);
	}

	// the usual answer declares its length: read it into an array of that size (no 8 KiB
	// staging buffer per exchange); a shorter body is what arrived
	private static byte[] readDeclared(InputStream in, int length) throws IOException {
		byte[] body = new byte[length];
		int read = in.readNBytes(body, 0, length);
		return (read == length) ? body : Arrays.copyOf(body, read);
	}

	private static @Nullable String mediaType(@Nullable String contentType) {
		if (contentType == null) {
			return null;
		}
		int semicolon = contentType.indexOf(';');
		String type = (semicolon >= 0) ? contentType.substring(0, semicolon) : contentType;
		return type.trim().toLowerCase(Locale.ROOT);
	}

	@Override
	public void close() {
		this.deadlines.close();
		this.client.close(CloseMode.GRACEFUL);
		this.connectionManager.close(CloseMode.GRACEFUL);
	}

}
