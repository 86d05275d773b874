package io.github.captchasecurity.autoconfigure;

import java.util.function.Supplier;

import io.github.captchasecurity.web.CaptchaHandlerInterceptor;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Registers the {@link CaptchaHandlerInterceptor} first among the Spring MVC
 * interceptors. The interceptor is built on first use: its rule resolvers read the
 * handler mappings, which are being created when interceptors are registered.
 */
final class CaptchaWebMvcConfigurer implements WebMvcConfigurer {

	private final Supplier<CaptchaHandlerInterceptor> interceptor;

	CaptchaWebMvcConfigurer(Supplier<CaptchaHandlerInterceptor> interceptor) {
		this.interceptor = SingletonSupplier.of(interceptor);
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(new LazyInterceptor(this.interceptor)).order(Ordered.HIGHEST_PRECEDENCE);
	}

	private static final class LazyInterceptor implements HandlerInterceptor {

		private final Supplier<CaptchaHandlerInterceptor> interceptor;

		LazyInterceptor(Supplier<CaptchaHandlerInterceptor> interceptor) {
			this.interceptor = interceptor;
		}

		@Override
		public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
				throws Exception {
			return this.interceptor.get().preHandle(request, response, handler);
		}

	}

}
