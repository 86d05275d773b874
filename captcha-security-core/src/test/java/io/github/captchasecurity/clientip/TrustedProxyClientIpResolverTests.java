package io.github.captchasecurity.clientip;

import java.util.List;

import io.github.captchasecurity.servlet.TestRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link TrustedProxyClientIpResolver}: the socket peer unless it is a trusted
 * proxy, then the right-most untrusted forwarded address; never the left-most entry
 * blindly, never garbage.
 */
class TrustedProxyClientIpResolverTests {

	private static final String CLIENT = "198.51.100.7";

	private static final String SPOOFED = "6.6.6.6";

	private static final String PROXY = "10.0.0.2";

	private final TrustedProxyClientIpResolver behindProxies = new TrustedProxyClientIpResolver(List.of("10.0.0.0/8"));

	// --- no trusted proxies, untrusted peers

	@Test
	void applyWhenNoTrustedProxiesThenSocketPeerWhateverTheHeaders() {
		MockHttpServletRequest request = request(PROXY);
		request.addHeader("X-Forwarded-For", SPOOFED + ", " + CLIENT);
		request.addHeader("Forwarded", "for=" + SPOOFED);

		assertThat(TrustedProxyClientIpResolver.socketPeer().apply(request)).isEqualTo(PROXY);
		assertThat(new TrustedProxyClientIpResolver(List.of()).apply(request)).isEqualTo(PROXY);
	}

	@Test
	void applyWhenAFilterRewroteTheRemoteAddressThenContainerPeerStill() {
		// what Spring's ForwardedHeaderFilter does with
		// server.forward-headers-strategy=framework: it believes any
		// X-Forwarded-For and hides the header; 20 spoofed addresses from one socket must
		// stay one client
		MockHttpServletRequest request = request(CLIENT);
		request.addHeader("X-Forwarded-For", SPOOFED);
		HttpServletRequest rewritten = new HttpServletRequestWrapper(request) {

			@Override
			public String getRemoteAddr() {
				return SPOOFED;
			}

			@Override
			public String getHeader(String name) {
				return null;
			}

		};

		assertThat(TrustedProxyClientIpResolver.socketPeer().apply(rewritten)).isEqualTo(CLIENT);
		assertThat(this.behindProxies.apply(rewritten)).isEqualTo(CLIENT);
	}

	@Test
	void applyWhenWrappedAndPeerIsTrustedProxyThenContainerHeadersRead() {
		MockHttpServletRequest request = request(PROXY);
		request.addHeader("X-Forwarded-For", SPOOFED + ", " + CLIENT);
		HttpServletRequest wrapped = new HttpServletRequestWrapper(new HttpServletRequestWrapper(request) {

			@Override
			public String getRemoteAddr() {
				return SPOOFED;
			}

		});

		assertThat(this.behindProxies.apply(wrapped)).isEqualTo(CLIENT);
	}

	@Test
	void applyWhenNoTrustedProxiesAndOnlyForwardedHeaderThenSocketPeer() {
		MockHttpServletRequest request = request(CLIENT);
		request.addHeader("Forwarded", "for=" + SPOOFED);

		assertThat(TrustedProxyClientIpResolver.socketPeer().apply(request)).isEqualTo(CLIENT);
	}

	@Test
	void applyWhenPeerNotTrustedThenPeerEvenWithForwardedFor() {
		MockHttpServletRequest request = request("203.0.113.9");
		request.addHeader("X-Forwarded-For", SPOOFED);

		assertThat(this.behindProxies.apply(request)).isEqualTo("203.0.113.9");
	}

	@Test
	void applyWhenPeerNotTrustedThenPeerEvenWithForwardedHeader() {
		MockHttpServletRequest request = request("203.0.113.9");
		request.addHeader("Forwarded", "for=" + SPOOFED);

		assertThat(this.behindProxies.apply(request)).isEqualTo("203.0.113.9");
	}

	@Test
	void applyWhenTrustedPeerWithoutForwardingHeadersThenPeer() {
		assertThat(this.behindProxies.apply(request(PROXY))).isEqualTo(PROXY);
	}

	// --- X-Forwarded-For from trusted proxies

	@Test
	void applyWhenTrustedPeerThenRightMostUntrustedEntryNotLeftMost() {
		MockHttpServletRequest request = request(PROXY);
		request.addHeader("X-Forwarded-For", SPOOFED + ", " + CLIENT);

		assertThat(this.behindProxies.apply(request)).isEqualTo(CLIENT);
	}

	@Test
	void applyWhenChainOfTrustedProxiesThenFirstUntrustedFromTheRight() {
		MockHttpServletRequest request = request(PROXY);
		request.addHeader("X-Forwarded-For", CLIENT + ", 10.1.1.1, 10.2.2.2");

		assertThat(this.behindProxies.apply(request)).isEqualTo(CLIENT);
	}

	@Test
	void applyWhenSpoofedEntriesLeftOfChainThenStillRightMostUntrusted() {
		MockHttpServletRequest request = request(PROXY);
		request.addHeader("X-Forwarded-For", "10.9.9.9, " + SPOOFED + ", " + CLIENT + ", 10.1.1.1");

		assertThat(this.behindProxies.apply(request)).isEqualTo(CLIENT);
	}

	@Test
	void applyWhenAllEntriesTrustedThenLeftMost() {
		MockHttpServletRequest request = request(PROXY);
		request.addHeader("X-Forwarded-For", "10.3.3.3, 10.1.1.1, 10.2.2.2");

		assertThat(this.behindProxies.apply(request)).isEqualTo("10.3.3.3");
	}

	@Test
	void applyWhenSeveralForwardedForLinesThenConcatenatedInOrder() {
		MockHttpServletRequest request = request(PROXY);
		request.addHeader("X-Forwarded-For", SPOOFED + ", 203.0.113.9");
		request.addHeader("X-Forwarded-For", CLIENT + ", 10.1.1.1");

		assertThat(this.behindProxies.apply(request)).isEqualTo(CLIENT);
	}

	@Test
	void applyWhenSeveralForwardedForLinesAllTrustedThenLeftMostOfFirstLine() {
		MockHttpServletRequest request = request(PROXY);
		request.addHeader("X-Forwarded-For", "10.3.3.3");
		request.addHeader("X-Forwarded-For", "10.1.1.1, 10.2.2.2");

		assertThat(this.behindProxies.apply(request)).isEqualTo("10.3.3.3");
	}

	@Test
	void applyWhenEntryHasPortThenAddressOnly() {
		MockHttpServletRequest request = request(PROXY);
		request.addHeader("X-Forwarded-For", SPOOFED + ", " + CLIENT + ":8080");

		assertThat(this.behindProxies.apply(request)).isEqualTo(CLIENT);
	}

	@Test
	void applyWhenEntryIsBracketedIpv6WithPortThenAddressOnly() {
		MockHttpServletRequest request = request(PROXY);
		request.addHeader("X-Forwarded-For", "[2001:DB8::1]:443");

		assertThat(this.behindProxies.apply(request)).isEqualTo("2001:db8::1");
	}

	@Test
	void applyWhenEmptyEntriesAndSpacesThenIgnored() {
		MockHttpServletRequest request = request(PROXY);
		request.addHeader("X-Forwarded-For", " ,  " + CLIENT + " , ,10.1.1.1,  ");

		assertThat(this.behindProxies.apply(request)).isEqualTo(CLIENT);
	}

	@ParameterizedTest
	@ValueSource(strings = { "unknown", "_hidden", "1.2.3", "1.2.3.4.5", "client.example.com", "cafe.bad",
			"dead:beef:x", "[2001:db8::1", "not an ip", "fe80::1%eth0" })
	void applyWhenRightMostEntryFromTrustedProxyIsGarbageThenPeer(String garbage) {
		MockHttpServletRequest request = request(PROXY);
		request.addHeader("X-Forwarded-For", CLIENT + ", " + garbage);

		assertThat(this.behindProxies.apply(request)).isEqualTo(PROXY);
	}

	@ParameterizedTest
	@ValueSource(strings = { "unknown", "_hidden", "1.2.3", "client.example.com" })
	void applyWhenOnlyEntryIsGarbageThenPeer(String garbage) {
		MockHttpServletRequest request = request(PROXY);
		request.addHeader("X-Forwarded-For", garbage);

		assertThat(this.behindProxies.apply(request)).isEqualTo(PROXY);
	}

	@Test
	void applyWhenGarbageLeftOfTheClientThenClientBecauseGarbageNeverReached() {
		MockHttpServletRequest request = request(PROXY);
		request.addHeader("X-Forwarded-For", "unknown, " + CLIENT);

		assertThat(this.behindProxies.apply(request)).isEqualTo(CLIENT);
	}

	@Test
	void applyWhenGarbageBetweenTrustedProxiesThenPeer() {
		MockHttpServletRequest request = request(PROXY);
		request.addHeader("X-Forwarded-For", CLIENT + ", _hidden, 10.1.1.1");

		assertThat(this.behindProxies.apply(request)).isEqualTo(PROXY);
	}

	// --- Forwarded (RFC 7239)

	@Test
	void applyWhenForwardedHeaderThenQuotesBracketsAndPortsRemoved() {
		TrustedProxyClientIpResolver resolver = new TrustedProxyClientIpResolver(
				List.of("10.0.0.0/8", "2001:db8::/32"));
		MockHttpServletRequest request = request(PROXY);
		request.addHeader("Forwarded", "for=" + CLIENT + ";proto=https, for=\"[2001:db8::1]:4711\"");

		// the right-most entry is a trusted IPv6 proxy: the next one to the left is the
		// client
		assertThat(resolver.apply(request)).isEqualTo(CLIENT);
	}

	@Test
	void applyWhenForwardedHeaderRightMostIsQuotedIpv6ThenThatAddress() {
		MockHttpServletRequest request = request(PROXY);
		request.addHeader("Forwarded", "for=" + CLIENT + ";proto=https, for=\"[2001:db8::1]:4711\"");

		assertThat(this.behindProxies.apply(request)).isEqualTo("2001:db8::1");
	}

	@Test
	void applyWhenForwardedForIsQuotedIpv4WithPortAndOtherParametersThenAddress() {
		MockHttpServletRequest request = request(PROXY);
		request.addHeader("Forwarded", "proto=https;For=\"" + CLIENT + ":4711\";by=10.0.0.2");

		assertThat(this.behindProxies.apply(request)).isEqualTo(CLIENT);
	}

	@Test
	void applyWhenForwardedRightMostUntrustedThenNotLeftMost() {
		MockHttpServletRequest request = request(PROXY);
		request.addHeader("Forwarded", "for=" + SPOOFED + ", for=" + CLIENT + ", for=10.1.1.1");

		assertThat(this.behindProxies.apply(request)).isEqualTo(CLIENT);
	}

	@ParameterizedTest
	@ValueSource(strings = { "for=unknown", "for=_hidden", "for=\"_gazonk\"", "for=1.2.3" })
	void applyWhenForwardedForIsObfuscatedThenPeer(String forwarded) {
		MockHttpServletRequest request = request(PROXY);
		request.addHeader("Forwarded", "for=" + CLIENT + ", " + forwarded);

		assertThat(this.behindProxies.apply(request)).isEqualTo(PROXY);
	}

	@Test
	void applyWhenBothHeadersThenForwardedForWins() {
		MockHttpServletRequest request = request(PROXY);
		request.addHeader("X-Forwarded-For", CLIENT);
		request.addHeader("Forwarded", "for=" + SPOOFED);

		assertThat(this.behindProxies.apply(request)).isEqualTo(CLIENT);
	}

	@Test
	void applyWhenForwardedForHeaderBlankThenForwardedUsed() {
		MockHttpServletRequest request = request(PROXY);
		request.addHeader("X-Forwarded-For", " ");
		request.addHeader("Forwarded", "for=" + CLIENT);

		assertThat(this.behindProxies.apply(request)).isEqualTo(CLIENT);
	}

	// --- IPv6 and IPv4-mapped addresses

	@Test
	void applyWhenIpv6PeerInTrustedRangeThenForwardedAddress() {
		TrustedProxyClientIpResolver resolver = new TrustedProxyClientIpResolver(List.of("2001:db8::/32"));
		MockHttpServletRequest request = request("2001:db8:5::10");
		request.addHeader("X-Forwarded-For", CLIENT);

		assertThat(resolver.apply(request)).isEqualTo(CLIENT);
	}

	@Test
	void applyWhenIpv6PeerOutsideTrustedRangeThenPeer() {
		TrustedProxyClientIpResolver resolver = new TrustedProxyClientIpResolver(List.of("2001:db8::/32"));
		MockHttpServletRequest request = request("2001:db9::10");
		request.addHeader("X-Forwarded-For", SPOOFED);

		assertThat(resolver.apply(request)).isEqualTo("2001:db9::10");
	}

	@Test
	void applyWhenLoopbackIpv6PeerTrustedAsSingleAddressThenForwardedAddress() {
		TrustedProxyClientIpResolver resolver = new TrustedProxyClientIpResolver(List.of("::1/128"));
		MockHttpServletRequest loopback = request("::1");
		loopback.addHeader("X-Forwarded-For", CLIENT);
		MockHttpServletRequest other = request("::2");
		other.addHeader("X-Forwarded-For", CLIENT);

		assertThat(resolver.apply(loopback)).isEqualTo(CLIENT);
		assertThat(resolver.apply(other)).isEqualTo("::2");
	}

	@Test
	void applyWhenIpv4MappedPeerInTrustedIpv4RangeThenForwardedAddress() {
		MockHttpServletRequest request = request("::ffff:10.0.0.2");
		request.addHeader("X-Forwarded-For", CLIENT);

		assertThat(this.behindProxies.apply(request)).isEqualTo(CLIENT);
	}

	@Test
	void applyWhenIpv4MappedEntryIsTrustedProxyThenSkipped() {
		MockHttpServletRequest request = request(PROXY);
		request.addHeader("X-Forwarded-For", CLIENT + ", ::ffff:10.1.1.1");

		assertThat(this.behindProxies.apply(request)).isEqualTo(CLIENT);
	}

	@Test
	void applyWhenIpv4PeerAndIpv6RangesOnlyThenPeer() {
		TrustedProxyClientIpResolver resolver = new TrustedProxyClientIpResolver(List.of("2001:db8::/32", "::1/128"));
		MockHttpServletRequest request = request(PROXY);
		request.addHeader("X-Forwarded-For", SPOOFED);

		assertThat(resolver.apply(request)).isEqualTo(PROXY);
	}

	// --- isTrusted

	@ParameterizedTest(name = "{0} in {1}: {2}")
	@CsvSource({ "10.0.0.2,            10.0.0.0/8,           true", "10.255.255.255,      10.0.0.0/8,           true",
			"11.0.0.1,            10.0.0.0/8,           false", "9.255.255.255,       10.0.0.0/8,           false",
			"172.16.0.1,          172.16.0.0/12,        true", "172.31.255.255,      172.16.0.0/12,        true",
			"172.32.0.0,          172.16.0.0/12,        false", "192.168.1.1,         192.168.1.1,          true",
			"192.168.1.2,         192.168.1.1,          false", "192.168.1.2,         192.168.1.1/32,       false",
			"203.0.113.77,        0.0.0.0/0,            true", "::ffff:10.0.0.2,     10.0.0.0/8,           true",
			"::FFFF:10.0.0.2,     10.0.0.0/8,           true", "::ffff:11.0.0.2,     10.0.0.0/8,           false",
			"10.0.0.2,            ::ffff:10.0.0.0/104,  true", "11.0.0.2,            ::ffff:10.0.0.0/104,  false",
			"2001:db8::1,         2001:db8::/32,        true", "2001:DB8:ffff::1,    2001:db8::/32,        true",
			"2001:db9::1,         2001:db8::/32,        false", "::1,                 ::1/128,              true",
			"::2,                 ::1/128,              false", "0:0:0:0:0:0:0:1,     ::1/128,              true",
			"::1,                 10.0.0.0/8,           false", "10.0.0.2,            ::/0,                 false" })
	void isTrustedWhenAddressAndRangeThenMembership(String address, String range, boolean trusted) {
		assertThat(new TrustedProxyClientIpResolver(List.of(range)).isTrusted(address)).isEqualTo(trusted);
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "", "unknown", "_hidden", "1.2.3", "10.0.0", "10.0.0.2:8080", "host.example", "[10.0.0.2]" })
	void isTrustedWhenNotAnAddressThenFalse(String address) {
		assertThat(new TrustedProxyClientIpResolver(List.of("0.0.0.0/0", "::/0")).isTrusted(address)).isFalse();
	}

	@Test
	void isTrustedWhenNullThenFalse() {
		assertThat(this.behindProxies.isTrusted(null)).isFalse();
	}

	@Test
	void isTrustedWhenNoRangesThenFalse() {
		assertThat(TrustedProxyClientIpResolver.socketPeer().isTrusted("127.0.0.1")).isFalse();
	}

	@Test
	void isTrustedWhenSeveralRangesThenAnyMatches() {
		TrustedProxyClientIpResolver resolver = new TrustedProxyClientIpResolver(
				List.of("10.0.0.0/8", " 192.168.0.0/16 ", "::1"));

		assertThat(resolver.isTrusted("192.168.4.4")).isTrue();
		assertThat(resolver.isTrusted("10.4.4.4")).isTrue();
		assertThat(resolver.isTrusted("::1")).isTrue();
		assertThat(resolver.isTrusted("172.16.0.1")).isFalse();
	}

	// --- configuration

	@ParameterizedTest
	@ValueSource(strings = { "10.0.0.0/33", "abc", "10.0.0.0/x", "10.0.0.0/", "/8", "10.0.0.0/-1", "10.0.0/8",
			"2001:db8::/129", "::ffff:10.0.0.0/129", "localhost", "10.0.0.0/8/8", "" })
	void constructorWhenEntryInvalidThenIllegalArgumentExceptionNamingIt(String entry) {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new TrustedProxyClientIpResolver(List.of("192.168.0.0/16", entry)))
			.withMessageContaining("'" + entry + "'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "10.0.0.0/0", "10.0.0.0/32", "2001:db8::/0", "2001:db8::/128", "::1", "10.0.0.1" })
	void constructorWhenPrefixAtBoundsThenAccepted(String entry) {
		assertThat(new TrustedProxyClientIpResolver(List.of(entry)).isTrusted(entry.split("/")[0])).isTrue();
	}

	private static MockHttpServletRequest request(String peer) {
		MockHttpServletRequest request = new TestRequest("POST", "/api/contact");
		request.setRemoteAddr(peer);
		return request;
	}

}
