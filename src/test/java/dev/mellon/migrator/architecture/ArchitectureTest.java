package dev.mellon.migrator.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The house rules of ARCHITECTURE.md, checked on the compiled classes: the stages depend one way, so do the engine's rooms, the core knows no
 * framework, the two faces (REST and the command line) stand side by side on the shared wire package, and no main
 * source file grows past 500 lines.
 */
class ArchitectureTest {

    private static final String ROOT = "dev.mellon.migrator";
    private static final String[] CORE = {ROOT + ".folder..", ROOT + ".schema..", ROOT + ".introspect..", ROOT + ".diff..",
            ROOT + ".ddl..", ROOT + ".engine.."};
    private static final String[] FRAMEWORKS = {"io.quarkus..", "jakarta..", "org.eclipse.microprofile..",
            "org.jboss.resteasy..", "io.smallrye..", "io.vertx..", "picocli.."};
    private static final int MAX_LINES = 500;
    /**
     * Main files over the limit when the rule was written, with their size then: each may only shrink, and leaves
     * this list once it is under the limit.
     */
    private static final Map<String, Integer> OVER_THE_LIMIT = Map.of();

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
    }

    @Test
    void theStagesHaveNoCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theEngineRoomsHaveNoCycles() {
        slices().matching(ROOT + ".engine.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theCoreImportsNoFaceAndNoFramework() {
        noClasses().that().resideInAnyPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".api..", ROOT + ".web..", ROOT + ".cli..",
                        ROOT + ".studio..", ROOT + ".config..")
                .check(classes);
        noClasses().that().resideInAnyPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage(FRAMEWORKS)
                .check(classes);
    }

    @Test
    void theCommandLineStandsBesideTheRestLayerNotOnIt() {
        noClasses().that().resideInAPackage(ROOT + ".cli..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".api..", ROOT + ".studio..")
                .check(classes);
    }

    @Test
    void theServiceAndTheStudioDoNotImportEachOther() {
        noClasses().that().resideInAPackage(ROOT + ".api..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".studio..")
                .check(classes);
        noClasses().that().resideInAPackage(ROOT + ".studio..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".api..")
                .check(classes);
    }

    @Test
    void theWirePackageServesTheFacesAndImportsNone() {
        noClasses().that().resideInAPackage(ROOT + ".web..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".api..", ROOT + ".cli..", ROOT + ".studio..")
                .check(classes);
    }

    @Test
    void noMainFileGrowsPastTheLimit() throws IOException {
        Path sources = Path.of("src/main/java/dev/mellon/migrator");
        Map<String, Integer> over = new TreeMap<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                int lines = Files.readAllLines(file).size();
                String name = sources.relativize(file).toString().replace('\\', '/');
                Integer allowed = OVER_THE_LIMIT.get(name);
                if (lines > MAX_LINES && (allowed == null || lines > allowed) || allowed != null && lines <= MAX_LINES) {
                    over.put(name, lines);
                }
            }
        }
        assertEquals(Map.of(), over, "files over " + MAX_LINES + " lines (or grown past their recorded size), and listed "
                + "files now under the limit (take them off the list): " + List.copyOf(over.keySet()));
    }
}
