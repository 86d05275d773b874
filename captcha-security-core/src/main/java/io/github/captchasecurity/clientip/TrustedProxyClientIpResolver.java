package io.github.captchasecurity.clientip;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link ClientIpResolver}: the client IP used for {@code remoteip}, bindings
 * and rate limits is the socket peer, unless that peer is a trusted proxy (a CIDR in the
 * list, IPv4 or IPv6): then the right-most address in {@code X-Forwarded-For} (or, when
 * that header is absent, in {@code Forwarded: for=}) that is not itself a trusted proxy.
 * The left-most entry is never taken blindly: a client can write anything there.
 * <p>
 * The peer and the headers are read from the container's request, under any
 * {@link ServletRequestWrapper}s: a filter that rewrites the remote address from
 * forwarded headers (Spring's {@code ForwardedHeaderFilter}, which believes every client)
 * cannot make the client choose its own IP here. A container-level rewrite (Tomcat's
 * {@code RemoteIpValve}, which by default believes internal proxies only) is what the
 * container reports as the peer.
 *
 * @since 0.1.0
 */
public final class TrustedProxyClientIpResolver implements ClientIpResolver {

	private final List<Cidr> trustedProxies;

	/**
	 * Create a resolver.
	 * @param trustedProxies the CIDR ranges ({@code 10.0.0.0/8}, {@code ::1/128}) or
	 * single addresses
	 * @throws IllegalArgumentException if an entry is not a CIDR range or address
	 */
	public TrustedProxyClientIpResolver(List<String> trustedProxies) {
		List<Cidr> parsed = new ArrayList<>();
		for (String entry : trustedProxies) {
			parsed.add(Cidr.parse(entry));
		}
		this.trustedProxies = List.copyOf(parsed);
	}

	/**
	 * A resolver that trusts no proxy: always the socket peer.
	 * @return the resolver
	 */
	public static TrustedProxyClientIpResolver socketPeer() {
		return new TrustedProxyClientIpResolver(List.of());
	}

	@Override
	public @Nullable String resolve(HttpServletRequest request) {
		request = containerRequest(request);
		String peer = request.getRemoteAddr();
		if (this.trustedProxies.isEmpty() || !isTrusted(peer)) {
			return peer;
		}
		List<String> chain = forwardedFor(request);
		for (int i = chain.size() - 1; i >= 0; i--) {
			String candidate = normalize(chain.get(i));
			if (candidate == null) {
				// a proxy we trust wrote something that is not an address: do not guess
				return peer;
			}
			if (!isTrusted(candidate)) {
				return candidate;
			}
		}
		return chain.isEmpty() ? peer : normalize(chain.get(0));
	}

	/**
	 * The socket peer of a request as the container reports it, read under any
	 * {@link ServletRequestWrapper}s so that a filter rewriting the remote address cannot
	 * change it.
	 * @param request the request
	 * @return the peer address, or null if the container reports none
	 */
	public static @Nullable String peerAddress(HttpServletRequest request) {
		return containerRequest(request).getRemoteAddr();
	}

	/**
	 * Whether the socket peer of a request (see {@link #peerAddress(HttpServletRequest)})
	 * is a trusted proxy.
	 * @param request the request
	 * @return {@code true} if the peer is in a trusted range
	 */
	public boolean isTrustedPeer(HttpServletRequest request) {
		return isTrusted(peerAddress(request));
	}

	/**
	 * Parse a header value holding one IP address literal (IPv4, IPv6, optionally
	 * bracketed or with a port). Host names are rejected, never looked up.
	 * @param value the value, may be null
	 * @return the address without port or brackets, lower case, or null if the value is
	 * not one IP address
	 */
	public static @Nullable String parseAddress(@Nullable String value) {
		return (value != null) ? normalize(value) : null;
	}

	/**
	 * The innermost HTTP request under the wrappers filters put around it.
	 * @param request the request, possibly wrapped
	 * @return the container's own request
	 */
	static HttpServletRequest containerRequest(HttpServletRequest request) {
		HttpServletRequest current = request;
		while (current instanceof ServletRequestWrapper wrapper) {
			ServletRequest inner = wrapper.getRequest();
			if (!(inner instanceof HttpServletRequest http)) {
				break;
			}
			current = http;
		}
		return current;
	}

	/**
	 * Whether an address is in a trusted range.
	 * @param address the address
	 * @return {@code true} if trusted
	 */
	public boolean isTrusted(@Nullable String address) {
		byte[] bytes = bytes(address);
		if (bytes == null) {
			return false;
		}
		for (Cidr cidr : this.trustedProxies) {
			if (cidr.contains(bytes)) {
				return true;
			}
		}
		return false;
	}

	private static List<String> forwardedFor(HttpServletRequest request) {
		List<String> chain = new ArrayList<>();
		for (String header : Collections.list(request.getHeaders("X-Forwarded-For"))) {
			for (String part : header.split(",")) {
				if (!part.isBlank()) {
					chain.add(part.trim());
				}
			}
		}
		if (!chain.isEmpty()) {
			return chain;
		}
		for (String header : Collections.list(request.getHeaders("Forwarded"))) {
			for (String element : header.split(",")) {
				for (String pair : element.split(";")) {
					String trimmed = pair.trim();
					if (trimmed.regionMatches(true, 0, "for=", 0, 4)) {
						chain.add(trimmed.substring(4).replace("\"", ""));
					}
				}
			}
		}
		return chain;
	}

	/**
	 * The address without port or brackets, or null if it is not an IP address literal.
	 * @param value an address, possibly with a port or in brackets
	 * @return the bare address, or null
	 */
	static @Nullable String normalize(String value) {
		String address = value.trim();
		if (address.startsWith("[")) {
			int end = address.indexOf(']');
			if (end < 0) {
				return null;
			}
			address = address.substring(1, end);
		}
		else if (address.indexOf(':') > 0 && address.indexOf(':') == address.lastIndexOf(':')) {
			address = address.substring(0, address.indexOf(':'));
		}
		return (bytes(address) != null) ? address.toLowerCase(Locale.ROOT) : null;
	}

	static byte @Nullable [] bytes(@Nullable String address) {
		if (address == null || address.isEmpty() || !address.matches("[0-9a-fA-F:.%]+") || address.length() > 64) {
			return null;
		}
		if (address.indexOf(':') < 0) {
			// a dotted quad only: anything else would make InetAddress look the name up
			// in DNS
			if (!address.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
				return null;
			}
			for (String octet : address.split("\\.")) {
				if (Integer.parseInt(octet) > 255) {
					return null;
				}
			}
		}
		try {
			byte[] bytes = InetAddress.getByName(address).getAddress();
			if (bytes.length == 16 && isMappedIpv4(bytes)) {
				byte[] ipv4 = new byte[4];
				System.arraycopy(bytes, 12, ipv4, 0, 4);
				return ipv4;
			}
			return bytes;
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	private static boolean isMappedIpv4(byte[] bytes) {
		for (int i = 0; i < 10; i++) {
			if (bytes[i] != 0) {
				return false;
			}
		}
		return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
	}

	private record Cidr(byte[] network, int prefix) {

		static Cidr parse(String entry) {
			Objects.requireNonNull(entry, "entry");
			String trimmed = entry.trim();
			int slash = trimmed.indexOf('/');
			String address = (slash >= 0) ? trimmed.substring(0, slash) : trimmed;
			byte[] bytes = bytes(address);
			if (bytes == null) {
				throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR range");
			}
			int prefix = bytes.length * 8;
			if (slash >= 0) {
				String bits = trimmed.substring(slash + 1);
				if (!bits.matches("\\d{1,3}")) {
					throw new IllegalArgumentException("'" + entry + "' has an invalid prefix length");
				}
				int parsed = Integer.parseInt(bits);
				int max = (address.indexOf(':') >= 0 && bytes.length == 4) ? 128 : bytes.length * 8;
				if (parsed > max) {
					throw new IllegalArgumentException("'" + entry + "' has an invalid prefix length");
				}
				prefix = (max == 128 && bytes.length == 4) ? Math.max(0, parsed - 96) : parsed;
			}
			return new Cidr(bytes, prefix);
		}

		boolean contains(byte[] address) {
			if (address.length != this.network.length) {
				return false;
			}
			int full = this.prefix / 8;
			for (int i = 0; i < full; i++) {
				if (address[i] != this.network[i]) {
					return false;
				}
			}
			int rest = this.prefix % 8;
			if (rest == 0) {
				return true;
			}
			int mask = (0xff << (8 - rest)) & 0xff;
			return (address[full] & mask) == (this.network[full] & mask);
		}

	}

}
