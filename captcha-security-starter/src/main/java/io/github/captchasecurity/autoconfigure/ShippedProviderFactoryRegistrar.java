package io.github.captchasecurity.autoconfigure;

import java.util.Comparator;
import java.util.List;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.filter.AssignableTypeFilter;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Registers every {@link ShippedProviderFactory} of this package as a bean named
 * {@code <type>CaptchaProviderFactory} ({@code RecaptchaProviderFactory} becomes
 * {@code recaptchaCaptchaProviderFactory}), unless the application already defines a bean
 * of that name. Adding a provider type is therefore one factory class here and nothing
 * else: no {@code @Bean} method, no list to extend.
 */
final class ShippedProviderFactoryRegistrar implements ImportBeanDefinitionRegistrar {

	private static final String SUFFIX = "ProviderFactory";

	private final Environment environment;

	private final ResourceLoader resourceLoader;

	ShippedProviderFactoryRegistrar(Environment environment, ResourceLoader resourceLoader) {
		this.environment = environment;
		this.resourceLoader = resourceLoader;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		for (Class<?> factory : shippedFactories(this.environment, this.resourceLoader)) {
			String name = beanName(factory);
			if (!registry.containsBeanDefinition(name)) {
				RootBeanDefinition definition = new RootBeanDefinition(factory);
				definition.setAutowireMode(AbstractBeanDefinition.AUTOWIRE_CONSTRUCTOR);
				definition.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
				registry.registerBeanDefinition(name, definition);
			}
		}
	}

	/**
	 * The shipped factory classes, found on the class path in this package.
	 * @param environment the environment the scan resolves placeholders with
	 * @param resourceLoader the loader of the class files
	 * @return the factory classes, by name
	 */
	static List<Class<?>> shippedFactories(Environment environment, ResourceLoader resourceLoader) {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false,
				environment);
		scanner.setResourceLoader(resourceLoader);
		scanner.addIncludeFilter(new AssignableTypeFilter(ShippedProviderFactory.class));
		ClassLoader classLoader = resourceLoader.getClassLoader();
		return scanner.findCandidateComponents(ShippedProviderFactory.class.getPackageName())
			.stream()
			.<Class<?>>map((candidate) -> ClassUtils.resolveClassName(candidate.getBeanClassName(), classLoader))
			.sorted(Comparator.comparing(Class::getName))
			.toList();
	}

	static String beanName(Class<?> factory) {
		String simpleName = factory.getSimpleName();
		String type = simpleName.endsWith(SUFFIX) ? simpleName.substring(0, simpleName.length() - SUFFIX.length())
				: simpleName;
		return StringUtils.uncapitalize(type) + "Captcha" + SUFFIX;
	}

}
