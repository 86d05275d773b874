package io.github.captchasecurity;

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
class ArchitectureTests {

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

}
