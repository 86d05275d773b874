package io.github.captchasecurity.servlet;

import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import static org.mockito.Mockito.mock;

/**
 * Records status, headers and body written to a response. Stands in for
 * {@code MockHttpServletResponse}, whose class initializer needs spring-web's
 * {@code MediaType}, which is not on this module's test classpath. Methods not overridden
 * here go to a Mockito mock and do nothing.
 */
public final class CapturingResponse extends HttpServletResponseWrapper {

	private final ByteArrayOutputStream body = new ByteArrayOutputStream();

	private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

	private int status = 200;

	private String contentType;

	private String characterEncoding;

	private boolean committed;

	public CapturingResponse() {
		super(mock(HttpServletResponse.class));
	}

	@Override
	public void setStatus(int status) {
		if (!this.committed) {
			this.status = status;
		}
	}

	@Override
	public int getStatus() {
		return this.status;
	}

	@Override
	public void sendError(int status) {
		sendError(status, null);
	}

	@Override
	public void sendError(int status, String message) {
		checkNotCommitted();
		this.status = status;
		this.committed = true;
	}

	@Override
	public void setContentType(String contentType) {
		this.contentType = contentType;
	}

	@Override
	public String getContentType() {
		return (this.contentType != null && this.characterEncoding != null)
				? this.contentType + ";charset=" + this.characterEncoding : this.contentType;
	}

	@Override
	public void setCharacterEncoding(String characterEncoding) {
		this.characterEncoding = characterEncoding;
	}

	@Override
	public String getCharacterEncoding() {
		return (this.characterEncoding != null) ? this.characterEncoding : "ISO-8859-1";
	}

	@Override
	public void setContentLength(int length) {
		setHeader("Content-Length", String.valueOf(length));
	}

	@Override
	public void setContentLengthLong(long length) {
		setHeader("Content-Length", String.valueOf(length));
	}

	@Override
	public void setHeader(String name, String value) {
		List<String> values = new ArrayList<>();
		values.add(value);
		this.headers.put(name, values);
	}

	@Override
	public void addHeader(String name, String value) {
		this.headers.computeIfAbsent(name, (key) -> new ArrayList<>()).add(value);
	}

	@Override
	public void setIntHeader(String name, int value) {
		setHeader(name, String.valueOf(value));
	}

	@Override
	public void addIntHeader(String name, int value) {
		addHeader(name, String.valueOf(value));
	}

	@Override
	public boolean containsHeader(String name) {
		return this.headers.containsKey(name);
	}

	@Override
	public String getHeader(String name) {
		List<String> values = this.headers.get(name);
		return (values != null && !values.isEmpty()) ? values.get(0) : null;
	}

	@Override
	public Collection<String> getHeaders(String name) {
		return List.copyOf(this.headers.getOrDefault(name, List.of()));
	}

	@Override
	public Collection<String> getHeaderNames() {
		return List.copyOf(this.headers.keySet());
	}

	@Override
	public ServletOutputStream getOutputStream() {
		return new ServletOutputStream() {

			@Override
			public void write(int b) {
				CapturingResponse.this.body.write(b);
			}

			@Override
			public boolean isReady() {
				return true;
			}

			@Override
			public void setWriteListener(WriteListener listener) {
			}

		};
	}

	@Override
	public PrintWriter getWriter() {
		return new PrintWriter(new OutputStreamWriter(this.body, StandardCharsets.UTF_8), true);
	}

	@Override
	public void resetBuffer() {
		checkNotCommitted();
		this.body.reset();
	}

	@Override
	public void reset() {
		resetBuffer();
		this.headers.clear();
		this.status = 200;
		this.contentType = null;
		this.characterEncoding = null;
	}

	@Override
	public void flushBuffer() {
		this.committed = true;
	}

	@Override
	public boolean isCommitted() {
		return this.committed;
	}

	public byte[] getContentAsByteArray() {
		return this.body.toByteArray();
	}

	public String getContentAsString() {
		return this.body.toString(StandardCharsets.UTF_8);
	}

	private void checkNotCommitted() {
		if (this.committed) {
			throw new IllegalStateException("Response already committed");
		}
	}

}
