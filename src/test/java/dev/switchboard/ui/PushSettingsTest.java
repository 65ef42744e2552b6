package dev.switchboard.ui;

import com.vaadin.flow.server.communication.JSR356WebsocketInitializer;
import com.vaadin.flow.spring.SpringServlet;
import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerContainer;
import org.apache.catalina.Context;
import org.atmosphere.cpr.ApplicationConfig;
import org.atmosphere.cpr.AtmosphereFramework;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.test.annotation.DirtiesContext;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-tab push settings of {@link PushMemoryConfig} reach what reads them: Atmosphere's buffer and message
 * sizes win over Vaadin's 16 KB defaults, and Tomcat's context has the incoming websocket buffer sizes from
 * application.properties.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:push-settings-${random.uuid};DB_CLOSE_DELAY=-1",
        "switchboard.admin-password=Admin-password-1"})
@DirtiesContext
class PushSettingsTest {
    @Autowired
    ServletWebServerApplicationContext context;

    @Test
    void theVaadinServletIsRegisteredOnceWithAtmosphereSettingsAsInitParameters() {
        List<ServletRegistrationBean<?>> vaadin = context.getBeansOfType(ServletRegistrationBean.class).values().stream()
                .<ServletRegistrationBean<?>>map(r -> r).filter(r -> r.getServlet() instanceof SpringServlet).toList();
        assertThat(vaadin).hasSize(1);
        assertThat(vaadin.get(0).getInitParameters())
                .containsAllEntriesOf(PushMemoryConfig.ATMOSPHERE_INIT_PARAMETERS)
                .containsKey(ApplicationConfig.JSR356_MAPPING_PATH); // what Vaadin's own registration sets
    }

    @Test
    void atmosphereRunsWithTheSmallBuffersNotVaadinsDefaults() {
        Context tomcat = tomcatContext();
        Object attribute = tomcat.getServletContext().getAttribute(
                JSR356WebsocketInitializer.getAttributeName(vaadinServletName()));
        assertThat(attribute).as("Atmosphere initialized for the Vaadin servlet").isInstanceOf(AtmosphereFramework.class);
        AtmosphereFramework atmosphere = (AtmosphereFramework) attribute;
        PushMemoryConfig.ATMOSPHERE_INIT_PARAMETERS.forEach((k, v) ->
                assertThat(atmosphere.getAtmosphereConfig().getInitParameter(k)).as(k).isEqualTo(v));
    }

    @Test
    void tomcatsIncomingWebsocketBuffersAreContextParameters() {
        ServletContext servletContext = tomcatContext().getServletContext();
        assertThat(servletContext.getInitParameter("org.apache.tomcat.websocket.textBufferSize")).isEqualTo("1024");
        assertThat(servletContext.getInitParameter("org.apache.tomcat.websocket.binaryBufferSize")).isEqualTo("1024");
        ServerContainer websockets = (ServerContainer) servletContext.getAttribute(ServerContainer.class.getName());
        assertThat(websockets.getDefaultMaxTextMessageBufferSize()).isEqualTo(1024);
        assertThat(websockets.getDefaultMaxBinaryMessageBufferSize()).isEqualTo(1024);
    }

    private String vaadinServletName() {
        return context.getBeansOfType(ServletRegistrationBean.class).values().stream()
                .filter(r -> r.getServlet() instanceof SpringServlet).findFirst().orElseThrow().getServletName();
    }

    private Context tomcatContext() {
        return (Context) ((TomcatWebServer) context.getWebServer()).getTomcat().getHost().findChildren()[0];
    }
}
