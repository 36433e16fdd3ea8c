package com.relaycrm;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.bind.annotation.RestController;

/** Rules from docs/DEVELOPING.md and the architecture notes that Modulith's verify() does not already cover. */
class ArchitectureTests {

    private static final String BASE = "com.relaycrm.";
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // Only Relay's own classes: scanning every jar for the package costs tens of seconds.
            .importUrl(
                    RelayApplication.class.getProtectionDomain().getCodeSource().getLocation());

    @Test
    void noFieldInjection() {
        fields().should()
                .notBeAnnotatedWith(Autowired.class)
                .because("dependencies come through constructors")
                .check(classes);
    }

    @Test
    void noStandardOutput() {
        noClasses()
                .should()
                .accessField(System.class, "out")
                .because("Relay logs through SLF4J")
                .check(classes);
        noClasses()
                .that()
                .doNotHaveSimpleName("StartupPreflight")
                .should()
                .accessField(System.class, "err")
                .because("only the pre-Spring start-up check prints, since logging does not exist yet")
                .check(classes);
    }

    @Test
    void controllersUseOtherModulesOnlyThroughTheirRootPackage() {
        noClasses()
                .that()
                .areAnnotatedWith(RestController.class)
                .should(dependOnAnotherModulesInternals())
                .check(classes);
    }

    @Test
    void modulesUseEachOtherOnlyThroughTheirRootPackage() {
        noClasses()
                .that()
                .resideInAPackage("com.relaycrm.(*)..")
                .should(dependOnAnotherModulesInternals())
                .check(classes);
    }

    private static ArchCondition<JavaClass> dependOnAnotherModulesInternals() {
        return new ArchCondition<>("depend on another module's internal packages") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                String own = module(origin.getPackageName());
                origin.getDirectDependenciesFromSelf().forEach(dependency -> {
                    String target = dependency.getTargetClass().getPackageName();
                    String targetModule = module(target);
                    boolean internal = targetModule != null && !target.equals(BASE + targetModule);
                    if (own != null && targetModule != null && !own.equals(targetModule) && internal) {
                        events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                    }
                });
            }
        };
    }

    private static String module(String packageName) {
        if (!packageName.startsWith(BASE)) {
            return null;
        }
        String rest = packageName.substring(BASE.length());
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }
}
