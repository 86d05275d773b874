package io.github.captchasecurity;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Architecture rules of the core module: Spring-free, servlet API confined to the
 * servlet-facing packages, generic packages independent of every provider type, provider
 * types independent of each other, no package cycles.
 */
@AnalyzeClasses(packages = "io.github.captchasecurity", importOptions = ImportOption.DoNotIncludeTests.class)
final class ArchitectureTests {

	private static final String ROOT = "io.github.captchasecurity";

	@ArchTest
	static final ArchRule noSpring = noClasses().that()
		.resideInAPackage(ROOT + "..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("org.springframework..")
		.because("captcha-security-core must run without Spring");

	/**
	 * The packages that face the Servlet API: the filter, token extraction, client IP,
	 * provider endpoints.
	 */
	private static final String[] SERVLET_FACING = { ROOT + ".servlet..", ROOT + ".token..", ROOT + ".clientip..",
			ROOT + ".provider.builtin.web..", ROOT + ".provider.captchala.web.." };

	/**
	 * Each provider type's package and its sub-packages ({@code provider.builtin},
	 * {@code provider.builtin.web}).
	 */
	private static final String PROVIDER_TYPES = ROOT + ".provider.*..";

	@ArchTest
	static final ArchRule servletApiOnlyInServletFacingPackages = noClasses().that()
		.resideInAPackage(ROOT + "..")
		.and()
		.resideOutsideOfPackages(SERVLET_FACING)
		.should()
		.dependOnClassesThat()
		.resideInAPackage("jakarta.servlet..")
		.because("the servlet API is a provided dependency used only by the servlet-facing packages");

	@ArchTest
	static final ArchRule engineDoesNotDependOnAdapters = noClasses().that()
		.resideInAPackage(ROOT)
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(ROOT + ".servlet..", ROOT + ".token..", ROOT + ".clientip..", ROOT + ".provider..",
				ROOT + ".http..")
		.because("providers and the filter plug into the engine, not the other way round");

	@ArchTest
	static final ArchRule genericPackagesDoNotDependOnProviderTypes = noClasses().that()
		.resideInAPackage(ROOT + "..")
		.and()
		.resideOutsideOfPackage(PROVIDER_TYPES)
		.should()
		.dependOnClassesThat()
		.resideInAPackage(PROVIDER_TYPES)
		.because("a provider type plugs into the generic packages, which never name one");

	@ArchTest
	static final ArchRule providerTypesDoNotDependOnEachOther = slices().matching(ROOT + ".provider.(*)..")
		.should()
		.notDependOnEachOther()
		.because("each provider type is self-contained in its own package");

	@ArchTest
	static final ArchRule noCyclesBetweenSubpackages = slices().matching(ROOT + ".(**)").should().beFreeOfCycles();

	@ArchTest
	static final ArchRule noCyclesIncludingRootPackage = slices().assignedFrom(new TopLevelPackages())
		.should()
		.beFreeOfCycles();

	private ArchitectureTests() {
	}

	/**
	 * Assigns every class to its package below the root, and classes of the root package
	 * to "root".
	 */
	private static final class TopLevelPackages implements SliceAssignment {

		@Override
		public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
			String packageName = javaClass.getPackageName();
			if (packageName.equals(ROOT)) {
				return SliceIdentifier.of("root");
			}
			if (packageName.startsWith(ROOT + ".")) {
				return SliceIdentifier.of(packageName.substring(ROOT.length() + 1));
			}
			return SliceIdentifier.ignore();
		}

		@Override
		public String getDescription() {
			return "packages of " + ROOT + " including the root package";
		}

	}

}
