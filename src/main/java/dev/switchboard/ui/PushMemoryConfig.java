package dev.switchboard.ui;

import com.vaadin.flow.spring.RootMappedCondition;
import com.vaadin.flow.spring.SpringBootAutoConfiguration;
import com.vaadin.flow.spring.SpringServlet;
import com.vaadin.flow.spring.VaadinConfigurationProperties;
import jakarta.servlet.MultipartConfigElement;
import org.atmosphere.cpr.ApplicationConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;

/**
 * Keeps the memory that every open tab's push websocket holds small. Each tab keeps one websocket open for as long
 * as it is open, idle or not, and before this the buffers behind it were most of the heap a tab cost (a class
 * histogram of 40 idle tabs: about 140 KB of char[]/byte[] per tab, of 230 KB):
 * <ul>
 * <li>Atmosphere's {@code WebSocket} allocates a {@code byte[bufferSize]} and a {@code char[bufferSize]} per
 * connection; Vaadin's {@code PushRequestHandler} sets {@code bufferSize} to 16384 (16 KB + 32 KB). The JSR 356
 * endpoint that Atmosphere runs on Tomcat never reads through them (it gets whole messages from Tomcat); they are
 * only used by its stream/reader protocols, which grow them on demand anyway.</li>
 * <li>Tomcat's NIO connector allocates a read and a write buffer ({@code socket.appReadBufSize}/{@code
 * appWriteBufSize}, 8192 bytes each) per connection and keeps them for its life; the read one is 2 KB here, see
 * {@link #SOCKET_READ_BUFFER}.</li>
 * <li>Tomcat's {@code WsFrameServer} allocates the incoming-message buffers, a {@code char[textBufferSize]} and
 * a {@code byte[binaryBufferSize]} (8192 each by default), per connection, and reallocates them to Atmosphere's
 * {@code maxTextMessageSize}/{@code maxBinaryMessageSize} (Vaadin: 16384) on the first message.</li>
 * </ul>
 * The incoming buffers can be small because the client sends nothing of its own over the websocket: with
 * {@code @Push(transport = WEBSOCKET_XHR)} (see {@link AppShell}) requests go by XHR, the websocket carries only
 * server-to-client pushes, and Atmosphere's tiny control messages come the other way. Outgoing messages have no
 * such limit: Tomcat frames a push of any size from its own 8 KB output buffer, so a long reply still arrives
 * whole (LargeReplyInBrowserTest pushes 100 KB+ in one push and checks the frames the browser sent).
 *
 * <p>How each is set, by the means each library documents:
 * <ul>
 * <li>Atmosphere reads its settings from the init parameters of the servlet it runs in, and Vaadin's own defaults
 * for these keys only apply when the Vaadin servlet has no init parameter of that name. Vaadin's {@code vaadin.*}
 * application properties do not reach them: {@code SpringServlet} copies only Vaadin's own {@code InitParameters}
 * names into Vaadin's deployment configuration, never into the servlet's init parameters. So this class declares the
 * Vaadin servlet's registration itself, built by Vaadin's public
 * {@link SpringBootAutoConfiguration#configureServletRegistrationBean} exactly as the auto-configuration builds it
 * (which then backs off: it is {@code @ConditionalOnMissingBean}), and adds the three parameters to it.</li>
 * <li>Tomcat's two websocket buffers are servlet context parameters, set in application.properties
 * ({@code server.servlet.context-parameters[...]}).</li>
 * <li>The connector's socket settings have no {@code server.tomcat.*} property; they are set by a connector
 * customizer, Spring Boot's documented route for them.</li>
 * <li>Tomcat's per-websocket write buffers ({@code org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE}, 8 KB) are a
 * JVM system property only, read once by Tomcat: set in {@code JAVA_TOOL_OPTIONS} (Dockerfile, README).</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class PushMemoryConfig {
    /** Atmosphere's per-connection stream buffers (bytes and chars): unused on JSR 356, grown on demand elsewhere. */
    static final int ATMOSPHERE_BUFFER = 512;
    /**
     * The largest message the client may send over the websocket (chars for text, bytes for binary), and the size
     * of the buffers Tomcat keeps for it per connection. A bigger one closes the websocket (1009, too big), which
     * the client answers by reconnecting; with WEBSOCKET_XHR none comes near it.
     */
    static final int INCOMING_MESSAGE_LIMIT = 1024;

    /**
     * Tomcat's per-connection socket read buffer (bytes). A read into a buffer with room for this many goes straight
     * there (request lines and headers into Http11InputBuffer, sized max header size + this, so the header limit
     * stays as configured; websocket frames into WsFrameServer's), at most this much per socket read. With TLS Tomcat
     * grows it to the TLS record size itself. The write buffer stays at 8 KB: pushes bypass it (gathering writes),
     * but responses go through it, and with it at 2 KB too LargeReplyInBrowserTest's push framing turned flaky on a
     * CPU-starved machine.
     */
    static final int SOCKET_READ_BUFFER = 2048;

    /**
     * Closed connections whose channel (and socket buffers, 10 KB) Tomcat keeps for the next connection. Tomcat keeps
     * none by default when the heap is under 2 GB: every new connection then built its buffers anew, they lived as
     * long as the connection, and young GCs copied them again and again (half of what each pause copied when 256
     * benchmark clients had just connected).
     */
    static final int CACHED_CHANNELS = 500;

    static final Map<String, String> CONNECTOR_PROPERTIES = Map.of(
            "socket.appReadBufSize", Integer.toString(SOCKET_READ_BUFFER),
            "socket.bufferPool", Integer.toString(CACHED_CHANNELS));

    static final Map<String, String> ATMOSPHERE_INIT_PARAMETERS = Map.of(
            ApplicationConfig.WEBSOCKET_BUFFER_SIZE, Integer.toString(ATMOSPHERE_BUFFER),
            ApplicationConfig.WEBSOCKET_MAXTEXTSIZE, Integer.toString(INCOMING_MESSAGE_LIMIT),
            ApplicationConfig.WEBSOCKET_MAXBINARYSIZE, Integer.toString(INCOMING_MESSAGE_LIMIT));

    /**
     * The Vaadin servlet, registered as Vaadin's auto-configuration registers it, with Atmosphere's buffer and
     * message-size parameters as init parameters.
     */
    @Bean
    ServletRegistrationBean<SpringServlet> vaadinServletRegistration(ObjectProvider<MultipartConfigElement> multipartConfig,
            VaadinConfigurationProperties vaadin, ApplicationContext context) {
        SpringServlet servlet = new SpringServlet(context, RootMappedCondition.isRootMapping(vaadin.getUrlMapping()));
        ServletRegistrationBean<SpringServlet> registration =
                SpringBootAutoConfiguration.configureServletRegistrationBean(multipartConfig, vaadin, servlet);
        ATMOSPHERE_INIT_PARAMETERS.forEach(registration::addInitParameter);
        return registration;
    }

    /**
     * Push websockets without permessage-deflate. Chromium always offers it and Tomcat always accepts it; each
     * connection then keeps a zlib inflater and deflater: about 24 KB of heap plus ~300 KB of native memory per open
     * tab. Pushes are small diffs on an internal network, so compression saves little. Removing the offer from the
     * handshake request (before Tomcat's WsFilter sees it) makes Tomcat answer without the extension.
     */
    @Bean
    FilterRegistrationBean<Filter> pushWithoutCompression() {
        FilterRegistrationBean<Filter> r = new FilterRegistrationBean<>((req, res, chain) -> {
            HttpServletRequest http = (HttpServletRequest) req;
            chain.doFilter(http.getHeader(WS_EXTENSIONS) == null ? req : new WithoutExtensions(http), res);
        });
        r.addUrlPatterns("/VAADIN/push", "/VAADIN/push/*");
        r.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return r;
    }

    static final String WS_EXTENSIONS = "Sec-WebSocket-Extensions";

    /** The request as if the client offered no websocket extensions. */
    static final class WithoutExtensions extends HttpServletRequestWrapper {
        WithoutExtensions(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getHeader(String name) {
            return WS_EXTENSIONS.equalsIgnoreCase(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return WS_EXTENSIONS.equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
                    .filter(n -> !WS_EXTENSIONS.equalsIgnoreCase(n)).toList());
        }
    }

    /**
     * The connector's per-connection socket read buffer and its cache of closed connections' channels. (Tomcat's
     * initial buffers for incoming websocket messages, {@link #INCOMING_MESSAGE_LIMIT}, are context parameters in
     * application.properties.)
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> pushBufferConnectorProperties() {
        return factory -> factory.addConnectorCustomizers(connector -> CONNECTOR_PROPERTIES.forEach((k, v) -> {
            if (!connector.setProperty(k, v)) throw new IllegalStateException("Tomcat connector rejected " + k);
        }));
    }
}
