package org.supportbot.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Dependencies point inward: the core knows no chat platform, search engine or application wiring. */
class ArchitectureTest {
  private static JavaClasses core;

  @BeforeAll
  static void importCore() {
    core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("org.supportbot.core", "org.supportbot.config");
  }

  @Test
  void coreNeverImportsChatPlatformsLuceneOrMetrics() {
    noClasses().that().resideInAPackage("org.supportbot.core..")
        .should().dependOnClassesThat().resideInAnyPackage("net.dv8tion..", "com.slack..", "org.apache.lucene..", "io.micrometer..")
        .because("bot-core is platform-neutral; adapters translate platform events at the edge and keep the metrics"
            + " (DESIGN.md)")
        .check(core);
  }

  @Test
  void coreDoesNotReachOutward() {
    noClasses().that().resideInAPackage("org.supportbot.core..")
        .should().dependOnClassesThat().resideInAnyPackage("org.supportbot.app..", "org.supportbot.kb..", "org.supportbot.adapter..")
        .because("dependencies point inward: adapters -> core -> config")
        .check(core);
  }

  @Test
  void configDependsOnNothingOfTheProject() {
    noClasses().that().resideInAPackage("org.supportbot.config..")
        .should().dependOnClassesThat().resideInAnyPackage("org.supportbot.core..", "org.supportbot.app..", "org.supportbot.kb..")
        .because("config is the innermost module")
        .check(core);
  }

  @Test
  void coreReadsTimeOnlyFromAnInjectedClock() {
    noClasses().that().resideInAPackage("org.supportbot.core..")
        .should().callMethod(java.time.Instant.class, "now")
        .orShould().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(java.time.LocalDateTime.class, "now")
        .orShould().callMethod(java.time.ZonedDateTime.class, "now")
        .because("everything that needs \"now\" takes a java.time.Clock, so tests can move time")
        .check(core);
  }

  @Test
  void corePackagesHaveNoCycles() {
    com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices()
        .matching("org.supportbot.core.(*)..").should().beFreeOfCycles()
        .because("features depend one way: desk -> store -> incident -> timer, billing, directory, sla")
        .check(core);
  }
}
