package io.github.captchasecurity.clientip;

import java.util.function.Function;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Strategy that finds the client IP of a request: the address sent to providers as
 * {@code remoteip}, bound into built-in challenges and counted by the rate limits and
 * abuse counters. The default, {@link TrustedProxyClientIpResolver}, takes the socket
 * peer, or the forwarded address when the peer is a trusted proxy. Implement it to read
 * another header (such as {@code CF-Connecting-IP} or {@code True-Client-IP}), and read
 * such a header only when the socket peer is a proxy you trust: any client can send it.
 * <p>
 * It extends {@link Function} so that it can be passed where a
 * {@code Function<HttpServletRequest, String>} is expected; implement
 * {@link #resolve(HttpServletRequest)}.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ClientIpResolver extends Function<HttpServletRequest, @Nullable String> {

	/**
	 * Resolve the client IP of a request.
	 * @param request the request
	 * @return the client IP, or null if none is known
	 */
	@Nullable String resolve(HttpServletRequest request);

	/**
	 * Same as {@link #resolve(HttpServletRequest)}.
	 * @param request the request
	 * @return the client IP, or null if none is known
	 */
	@Override
	default @Nullable String apply(HttpServletRequest request) {
		return resolve(request);
	}

	/**
	 * A resolver that trusts no proxy: always the socket peer.
	 * @return the resolver
	 */
	static ClientIpResolver socketPeer() {
		return TrustedProxyClientIpResolver.socketPeer();
	}

}
