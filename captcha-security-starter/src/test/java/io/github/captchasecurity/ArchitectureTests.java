package io.github.captchasecurity;

import java.util.List;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaConstructor;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import org.springframework.boot.autoconfigure.AutoConfiguration;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

@AnalyzeClasses(packages = "io.github.captchasecurity", importOptions = ImportOption.DoNotIncludeTests.class)
final class ArchitectureTests {

	private static final List<String> PROVIDER_AWARE = List.of(
			"io.github.captchasecurity.autoconfigure.CaptchaAutoConfiguration",
			"io.github.captchasecurity.autoconfigure.CaptchaProviderConfiguration",
			"io.github.captchasecurity.autoconfigure.CaptchaEndpointConfiguration",
			"io.github.captchasecurity.autoconfigure.BuiltinPropertiesMapper",
			"io.github.captchasecurity.autoconfigure.CaptchaSettings",
			"io.github.captchasecurity.autoconfigure.PropertiesEscalationChallengeFactory",
			"io.github.captchasecurity.autoconfigure.CaptchaStartupChecks",
			"io.github.captchasecurity.autoconfigure.CaptchaMetricsConfiguration",
			"io.github.captchasecurity.autoconfigure.MicrometerBuiltinChallengeListener",
			"io.github.captchasecurity.annotation.RequireCaptchaRuleResolver",
			"io.github.captchasecurity.security.config.CaptchaConfigurer");

	@ArchTest
	static final ArchRule autoConfigurationsArePublicFinalWithoutPublicMembers = classes().that()
		.areAnnotatedWith(AutoConfiguration.class)
		.should()
		.bePublic()
		.andShould()
		.haveModifier(JavaModifier.FINAL)
		.andShould(new ArchCondition<>("have no public members") {
			@Override
			public void check(JavaClass item, ConditionEvents events) {
				item.getMembers()
					.stream()
					.filter((member) -> member.getModifiers().contains(JavaModifier.PUBLIC))
					.filter((member) -> !(member instanceof JavaConstructor))
					.forEach((member) -> events.add(SimpleConditionEvent.violated(item,
							item.getName() + " has public member " + member.getName())));
			}
		});

	@ArchTest
	static final ArchRule webAndAnnotationDoNotSeeAutoConfiguration = noClasses().that()
		.resideInAnyPackage("io.github.captchasecurity.web..", "io.github.captchasecurity.annotation..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("io.github.captchasecurity.autoconfigure..");

	/**
	 * Only the per-type factories know the provider packages of core (gh-9), plus these
	 * few, each for a reason: the auto-configuration, its provider and endpoint
	 * configurations wire the built-in provider's beans and the built-in and CaptchaLa
	 * endpoints; {@code captcha.builtin.*} is mapped by {@code BuiltinPropertiesMapper}
	 * into the shared settings; escalations to the built-in provider carry a generated
	 * challenge; the start-up checks refuse published test secrets as signing keys; the
	 * built-in challenges are counted (and, in memory, gauged) by the metrics; the Redis
	 * store backs the built-in challenge store and rate limiter; {@code @RequireCaptcha}
	 * and the Spring Security configurer check built-in challenge types.
	 */
	@ArchTest
	static final ArchRule onlyProviderFactoriesSeeProviderPackages = noClasses().that()
		.resideInAnyPackage("io.github.captchasecurity.autoconfigure..", "io.github.captchasecurity.web..",
				"io.github.captchasecurity.annotation..", "io.github.captchasecurity.security..",
				"io.github.captchasecurity.event..", "io.github.captchasecurity.store..")
		.and()
		.haveSimpleNameNotEndingWith("ProviderFactory")
		.and(DescribedPredicate.not(DescribedPredicate.describe("explicit exceptions",
				(JavaClass item) -> PROVIDER_AWARE.stream()
					.anyMatch((name) -> item.getName().equals(name) || item.getName().startsWith(name + "$")))))
		.and()
		.resideOutsideOfPackage("io.github.captchasecurity.store.redis..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("io.github.captchasecurity.provider..");

	@ArchTest
	static final ArchRule securityWebDoesNotSeeSecurityConfig = noClasses().that()
		.resideInAPackage("io.github.captchasecurity.security.web..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("io.github.captchasecurity.security.config..", "io.github.captchasecurity.autoconfigure..")
		.because("as in Spring Security, the web layer never sees the configuration layer built on top of it");

	@ArchTest
	static final ArchRule noPackageCycles = slices().matching("io.github.captchasecurity.(**)")
		.should()
		.beFreeOfCycles();

	private ArchitectureTests() {
	}

}
