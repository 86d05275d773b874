package io.github.captchasecurity.store.redis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a real {@code redis-server} (from {@code /usr/bin} or the PATH) on a free
 * loopback port, without persistence, in a temporary directory, before the tests of a
 * class, and stops it after them. Without the binary the tests are skipped with a
 * message, except with {@code CI=true}, where they fail. Register it with
 * {@code @RegisterExtension static}; {@link #stop()} and {@link #start()} stop and
 * restart the server on the same port, for outage tests.
 */
final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback, ExecutionCondition {

	private static final @Nullable Path BINARY = findBinary();

	private int port;

	private @Nullable Path directory;

	private @Nullable Process process;

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		if (BINARY == null && !"true".equals(System.getenv("CI"))) {
			return ConditionEvaluationResult.disabled("redis-server not found in /usr/bin or on the PATH: install the "
					+ "redis-server package to run the Redis store tests (they fail instead under CI=true)");
		}
		return ConditionEvaluationResult.enabled("redis-server found");
	}

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		if (BINARY == null) {
			throw new IllegalStateException("CI=true but redis-server was not found in /usr/bin or on the PATH");
		}
		this.directory = Files.createTempDirectory("redis-test");
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			this.port = socket.getLocalPort();
		}
		start();
	}

	@Override
	public void afterAll(ExtensionContext context) throws Exception {
		stop();
		if (this.directory != null) {
			try (Stream<Path> files = Files.walk(this.directory)) {
				files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
			}
		}
	}

	/** The port the server listens on (the same after a restart). */
	int port() {
		return this.port;
	}

	/** Start the server (again) on its port and wait until it answers PING. */
	synchronized void start() throws IOException, InterruptedException {
		if (this.process != null && this.process.isAlive()) {
			return;
		}
		Path dir = this.directory;
		if (BINARY == null || dir == null) {
			throw new IllegalStateException("redis-server is not available");
		}
		this.process = new ProcessBuilder(BINARY.toString(), "--port", Integer.toString(this.port), "--bind",
				"127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString())
			.redirectErrorStream(true)
			.redirectOutput(dir.resolve("redis.log").toFile())
			.start();
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!"+PONG".equals(command("PING"))) {
			if (System.nanoTime() > deadline || !this.process.isAlive()) {
				throw new IllegalStateException("redis-server did not start on port " + this.port + ": "
						+ Files.readString(dir.resolve("redis.log")));
			}
			Thread.sleep(20);
		}
	}

	/** Stop the server (SIGKILL, as a crash would) and wait until it is gone. */
	synchronized void stop() throws InterruptedException {
		Process running = this.process;
		if (running != null) {
			running.destroyForcibly();
			running.waitFor();
			this.process = null;
		}
	}

	/** Delete every key. */
	void flushAll() {
		String answer = command("FLUSHALL");
		if (!"+OK".equals(answer)) {
			throw new IllegalStateException("FLUSHALL answered " + answer);
		}
	}

	/**
	 * Send one inline command and return the first line of the answer, or null if the
	 * server cannot be reached.
	 */
	@Nullable String command(String inline) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 500);
			socket.setSoTimeout(5000);
			OutputStream out = socket.getOutputStream();
			out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
			out.flush();
			InputStream in = socket.getInputStream();
			StringBuilder line = new StringBuilder();
			int c;
			while ((c = in.read()) != -1 && c != '\n') {
				if (c != '\r') {
					line.append((char) c);
				}
			}
			return line.toString();
		}
		catch (IOException ex) {
			return null;
		}
	}

	private static @Nullable Path findBinary() {
		Path standard = Path.of("/usr/bin/redis-server");
		if (Files.isExecutable(standard)) {
			return standard;
		}
		String path = System.getenv("PATH");
		if (path != null) {
			for (String dir : path.split(File.pathSeparator)) {
				Path candidate = Path.of(dir, "redis-server");
				if (Files.isExecutable(candidate)) {
					return candidate;
				}
			}
		}
		return null;
	}

}
