package io.dynamicrag.app;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Command side and query side share only the shared kernel; the kernel depends on neither, nor on Spring. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.dynamicrag");

    @Test
    void commandSideNeverImportsQuerySideOrProcessors() {
        noClasses().that().resideInAPackage("io.dynamicrag.command..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.dynamicrag.query..", "io.dynamicrag.processing..", "io.dynamicrag.app..")
                .check(CLASSES);
    }

    @Test
    void querySideNeverImportsCommandSideOrProcessors() {
        noClasses().that().resideInAPackage("io.dynamicrag.query..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.dynamicrag.command..", "io.dynamicrag.processing..", "io.dynamicrag.app..")
                .check(CLASSES);
    }

    @Test
    void processorsNeverImportCommandOrQuerySide() {
        noClasses().that().resideInAPackage("io.dynamicrag.processing..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.dynamicrag.command..", "io.dynamicrag.query..", "io.dynamicrag.app..")
                .check(CLASSES);
    }

    @Test
    void sharedKernelDependsOnNoSideAndNoSpring() {
        noClasses().that().resideInAPackage("io.dynamicrag.kernel..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.dynamicrag.command..", "io.dynamicrag.query..", "io.dynamicrag.processing..",
                        "io.dynamicrag.app..", "org.springframework..")
                .check(CLASSES);
    }
}
