package dev.switchboard;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.vaadin.flow.router.Route;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The house rules of DEVELOPERS.md, held by a test. */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(location -> !location.contains("/test-classes/"))
            .importPackages("dev.switchboard");

    @Test
    void onlyTheOpenAiPackageImportsTheOpenAiSdk() {
        noClasses().that().resideOutsideOfPackage("dev.switchboard.llm.openai..")
                .should().dependOnClassesThat().resideInAPackage("com.openai..")
                .check(MAIN);
    }

    @Test
    void theLlmPackageKnowsNothingOfChatUsageOrViews() {
        noClasses().that().resideInAPackage("dev.switchboard.llm..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.switchboard.chat..", "dev.switchboard.usage..",
                        "dev.switchboard.admin..", "dev.switchboard.security..", "com.vaadin..")
                .check(MAIN);
    }

    @Test
    void servicesDoNotDependOnViews() {
        // Configuration may name a view (the security chain names its login view); services may not.
        noClasses().that().resideOutsideOfPackages("..ui..")
                .and().areNotAnnotatedWith(org.springframework.context.annotation.Configuration.class)
                .should().dependOnClassesThat().resideInAPackage("..ui..")
                .check(MAIN);
    }

    @Test
    void viewsLiveInUiPackagesAndArePackagePrivate() {
        classes().that().areAnnotatedWith(Route.class)
                .should().resideInAPackage("..ui..")
                .andShould().notHaveModifier(JavaModifier.PUBLIC)
                .check(MAIN);
    }

    @Test
    void chatAndLlmCodeUsesNoThreadLocal() {
        // A stream's state travels with its objects, not with whichever thread happens to run it.
        noClasses().that().resideInAnyPackage("dev.switchboard.chat..", "dev.switchboard.llm..")
                .should().dependOnClassesThat().areAssignableTo(ThreadLocal.class)
                .check(MAIN);
    }

    @Test
    void noServletFilterRunsOutsideTheSecurityChain() {
        // Every request passes Spring Security first; the one exception, PushMemoryConfig, only strips a websocket
        // extension header from the handshake on /VAADIN/push and decides nothing about who may do what.
        noClasses().that().resideOutsideOfPackage("dev.switchboard.security..")
                .and().doNotHaveFullyQualifiedName("dev.switchboard.ui.PushMemoryConfig")
                .should().implement(jakarta.servlet.Filter.class)
                .orShould().dependOnClassesThat().areAssignableTo(FilterRegistrationBean.class)
                .check(MAIN);
    }

    @Test
    void accountsAreTheBottomLayer() {
        noClasses().that().resideInAPackage("dev.switchboard.users..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.switchboard.security..",
                        "dev.switchboard.admin..", "dev.switchboard.account..", "dev.switchboard.chat..")
                .check(MAIN);
    }

    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching("dev.switchboard.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void noClassIsOverAboutThreeHundredLines() {
        classes().that().areNotNestedClasses().and().areNotAnonymousClasses()
                .should(haveAtMostLines(330))
                .check(MAIN);
    }

    private static ArchCondition<JavaClass> haveAtMostLines(int max) {
        return new ArchCondition<>("have at most " + max + " source lines") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                int last = c.getMethods().stream().flatMap(m -> m.getSourceCodeLocation() == null ? java.util.stream.Stream.<Integer>empty()
                        : java.util.stream.Stream.of(m.getSourceCodeLocation().getLineNumber())).max(Integer::compare).orElse(0);
                if (last > max) {
                    events.add(SimpleConditionEvent.violated(c, c.getName() + " reaches line " + last + " (max " + max + ")"));
                }
            }
        };
    }
}
