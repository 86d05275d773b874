package io.github.captchasecurity.it;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bulkhead around provider calls (gh-8, item 10), measured: with the provider hanging
 * and 300 clients holding protected requests (each one sending again a second after its
 * answer), at most {@code captcha.http.max-concurrent-verifications} (32) servlet threads
 * wait on the provider, the excess waits 25 ms for a slot
 * ({@code captcha.http.verification-wait}) and is answered 503
 * {@code captcha_provider_unavailable} a second later
 * ({@code captcha.http.busy-answer-delay}, without a servlet thread waiting), and an open
 * route keeps its latency. Without the bulkhead all 200 Tomcat threads wait on the
 * provider and the open route waits with them.
 * <p>
 * The provider is a plain JDK {@link HttpServer} on 127.0.0.1 that never answers until
 * the test ends. The open route's p99 is compared with its own baseline from the same
 * run.
 */
@SpringBootTest(classes = LoadTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "captcha.providers.google.type=recaptcha", "captcha.providers.google.secret=test-secret",
				"captcha.routes[0].path=/api/protected", "captcha.abuse.block-after=0", "captcha.abuse.step-up-after=0",
				"captcha.http.response-timeout=60s" })
class ProviderBulkheadIntegrationTests {

	private static final int CLIENTS = 300;

	private static final int BULKHEAD = 32;

	private static final int SAMPLES = 500;

	private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(2);

	private static final CountDownLatch providerRelease = new CountDownLatch(1);

	private static final AtomicInteger providerHeld = new AtomicInteger();

	private static final ExecutorService providerThreads = Executors.newCachedThreadPool((runnable) -> {
		Thread thread = new Thread(runnable, "hanging-provider");
		thread.setDaemon(true);
		return thread;
	});

	private static final HttpServer hangingProvider = hangingProvider();

	/** The quickest first 503 of a client, in ms from its send. */
	private final AtomicLong quickestBusyAnswerMillis = new AtomicLong(Long.MAX_VALUE);

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void providerUrl(DynamicPropertyRegistry registry) {
		registry.add("captcha.providers.google.verify-url",
				() -> "http://127.0.0.1:" + hangingProvider.getAddress().getPort() + "/siteverify");
	}

	@AfterAll
	static void stopProvider() {
		providerRelease.countDown();
		hangingProvider.stop(0);
		providerThreads.shutdownNow();
	}

	@Test
	@Timeout(value = 30, unit = TimeUnit.SECONDS)
	void providerHangingAndThreeHundredClientsThenExcessAnswered503AndOpenRouteKeepsItsLatency() throws Exception {
		HttpClient open = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(2))
			.build();
		measureOpenRoute(open, 500);
		long[] baseline = measureOpenRoute(open, SAMPLES);

		ExecutorService clientThreads = Executors.newFixedThreadPool(8);
		HttpClient flood = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.executor(clientThreads)
			.build();
		AtomicBoolean stop = new AtomicBoolean();
		AtomicInteger firstAnswers = new AtomicInteger();
		AtomicInteger unavailable = new AtomicInteger();
		AtomicInteger otherAnswers = new AtomicInteger();
		List<CompletableFuture<Void>> clients = new ArrayList<>();
		for (int i = 0; i < CLIENTS; i++) {
			clients.add(holdProtected(flood, i, true, stop, firstAnswers, unavailable, otherAnswers));
		}
		try {
			awaitCondition(() -> providerHeld.get() >= BULKHEAD && firstAnswers.get() >= CLIENTS - BULKHEAD);
			// the machine is shared and noisy: take the best of up to three rounds (a
			// starved servlet pool fails
			// every round, with the open route's requests timing out)
			long[] underLoad = measureOpenRoute(open, SAMPLES);
			long loadStart = System.nanoTime();
			for (int round = 1; round < 3 && p99(underLoad) >= Duration.ofMillis(100).toNanos()
					&& System.nanoTime() - loadStart < TimeUnit.SECONDS.toNanos(6); round++) {
				long[] again = measureOpenRoute(open, SAMPLES);
				underLoad = (p99(again) < p99(underLoad)) ? again : underLoad;
			}

			long baselineP99 = p99(baseline);
			long loadedP99 = p99(underLoad);
			System.out.printf(
					"open route p50/p99: baseline %.1f/%.1f ms, with %d clients on a hanging provider "
							+ "%.1f/%.1f ms (provider calls held: %d, first answers 503: %d)%n",
					p50(baseline) / 1e6, baselineP99 / 1e6, CLIENTS, p50(underLoad) / 1e6, loadedP99 / 1e6,
					providerHeld.get(), unavailable.get());
			assertThat(providerHeld.get()).isEqualTo(BULKHEAD);
			assertThat(otherAnswers).hasValue(0);
			assertThat(unavailable.get()).isGreaterThanOrEqualTo(CLIENTS - BULKHEAD);
			// turned away after the 25 ms wait for a slot, and answered only after the 1
			// s
			// captcha.http.busy-answer-delay, without a servlet thread waiting that long
			assertThat(this.quickestBusyAnswerMillis.get()).isGreaterThanOrEqualTo(900);
			assertThat(loadedP99).as("open-route p99 under load (ns)").isLessThan(Duration.ofMillis(100).toNanos());
			assertThat(loadedP99).as("open-route p99 under load against max(100 ms, 5 x baseline %d ns)", baselineP99)
				.isLessThanOrEqualTo(Math.max(Duration.ofMillis(100).toNanos(), 5 * baselineP99));
		}
		finally {
			stop.set(true);
			providerRelease.countDown();
			CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new))
				.orTimeout(10, TimeUnit.SECONDS)
				.exceptionally((ex) -> null)
				.join();
			clientThreads.shutdownNow();
		}
	}

	/**
	 * One client: sends a protected request, and a second after each 503 sends again
	 * until stopped.
	 */
	private CompletableFuture<Void> holdProtected(HttpClient flood, int client, boolean first, AtomicBoolean stop,
			AtomicInteger firstAnswers, AtomicInteger unavailable, AtomicInteger otherAnswers) {
		HttpRequest request = HttpRequest.newBuilder(uri("/api/protected"))
			.header("X-Captcha-Token", "client-" + client + "-token-" + System.nanoTime())
			.POST(HttpRequest.BodyPublishers.noBody())
			.timeout(Duration.ofSeconds(60))
			.build();
		long sent = System.nanoTime();
		return flood.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenCompose((response) -> {
			boolean providerUnavailable = response.statusCode() == 503
					&& response.body().contains("\"captcha_provider_unavailable\"");
			if (first) {
				if (providerUnavailable) {
					this.quickestBusyAnswerMillis
						.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent), Math::min);
				}
				firstAnswers.incrementAndGet();
				(providerUnavailable ? unavailable : otherAnswers).incrementAndGet();
			}
			if (stop.get() || !providerUnavailable) {
				return CompletableFuture.completedFuture(null);
			}
			return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS))
				.thenCompose((ignored) -> holdProtected(flood, client, false, stop, firstAnswers, unavailable,
						otherAnswers));
		}).exceptionally((ex) -> null);
	}

	/**
	 * Sequential GETs of the open route; a request that fails or times out counts as the
	 * timeout, and so do the samples left when the round has taken five seconds.
	 */
	private long[] measureOpenRoute(HttpClient open, int samples) {
		long[] latencies = new long[samples];
		Arrays.fill(latencies, OPEN_TIMEOUT.toNanos());
		HttpRequest request = HttpRequest.newBuilder(uri("/api/open")).timeout(OPEN_TIMEOUT).build();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		for (int i = 0; i < samples && System.nanoTime() < deadline; i++) {
			long start = System.nanoTime();
			try {
				HttpResponse<String> response = open.send(request, HttpResponse.BodyHandlers.ofString());
				latencies[i] = System.nanoTime() - start;
				assertThat(response.statusCode()).isEqualTo(200);
			}
			catch (IOException ex) {
				latencies[i] = OPEN_TIMEOUT.toNanos();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		return latencies;
	}

	private static long p50(long[] latencies) {
		long[] sorted = latencies.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

	private static long p99(long[] latencies) {
		long[] sorted = latencies.clone();
		Arrays.sort(sorted);
		return sorted[(int) Math.ceil(sorted.length * 0.99) - 1];
	}

	private static void awaitCondition(BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	/**
	 * A siteverify endpoint that holds every call until the test ends, then answers
	 * "unavailable".
	 */
	private static HttpServer hangingProvider() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
			server.setExecutor(providerThreads);
			server.createContext("/siteverify", (exchange) -> {
				providerHeld.incrementAndGet();
				try {
					providerRelease.await(60, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
				exchange.sendResponseHeaders(503, body.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
			});
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
