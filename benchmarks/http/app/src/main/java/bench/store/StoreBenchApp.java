package bench.store;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The store benchmark's app: POST /protected is guarded by the starter (route captcha.routes[0], a
 * recaptcha-type provider pointed at the nginx stub), GET /open is not. Run it with
 * {@code --captcha.store.type=memory} or {@code --captcha.store.type=redis}; {@code /stats} counts the
 * requests that reached the controller.
 */
@SpringBootApplication
@RestController
public class StoreBenchApp {

	private final LongAdder ok = new LongAdder();

	public static void main(String[] args) {
		SpringApplication app = new SpringApplication(StoreBenchApp.class);
		app.setDefaultProperties(Map.ofEntries(Map.entry("server.port", "18093"),
				Map.entry("captcha.providers.stub.type", "recaptcha"),
				Map.entry("captcha.providers.stub.secret", "bench-secret"),
				Map.entry("captcha.providers.stub.verify-url", "http://127.0.0.1:18090/siteverify"),
				Map.entry("captcha.providers.stub.hostnames", "localhost"),
				Map.entry("captcha.providers.stub.min-score", "0.5"), Map.entry("captcha.routes[0].path", "/protected"),
				Map.entry("captcha.routes[0].methods", "POST"), Map.entry("captcha.routes[0].action", "login"),
				Map.entry("captcha.http.connect-timeout", "500ms"), Map.entry("captcha.http.response-timeout", "1s"),
				// wrk is one client IP with 64 connections: without these, the per-client reservation (at most
				// block-after verifications of one client in flight) and the bulkhead (32 provider calls in
				// flight) would turn most requests away; this benchmark measures the store, not those limits
				Map.entry("captcha.abuse.block-after", "0"),
				Map.entry("captcha.http.max-concurrent-verifications", "256"),
				Map.entry("spring.data.redis.host", "127.0.0.1"), Map.entry("spring.data.redis.port", "18091")));
		app.run(args);
	}

	@PostMapping("/protected")
	public String protectedEndpoint() {
		this.ok.increment();
		return "ok";
	}

	@GetMapping("/open")
	public String open() {
		return "open";
	}

	@GetMapping("/stats")
	public String stats() {
		return "ok=" + this.ok.sum();
	}

}
