package dev.switchboard.metrics;

import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinServiceInitListener;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Vaadin's share of the metrics (Vaadin 24 brings none of its own): the browser sessions and the open tabs (UIs, each
 * with its push connection) of this instance, as {@code vaadin_sessions_active} and {@code vaadin_ui_active}.
 * Counted as Vaadin creates and ends them, nothing per request.
 */
@Component
class VaadinMetrics implements VaadinServiceInitListener {
    private final AtomicInteger sessions = new AtomicInteger();
    private final AtomicInteger uis = new AtomicInteger();

    VaadinMetrics(MeterRegistry registry) {
        Gauge.builder("vaadin.sessions.active", sessions, AtomicInteger::get)
                .description("Vaadin sessions (logged-in or not) open on this instance").register(registry);
        Gauge.builder("vaadin.ui.active", uis, AtomicInteger::get)
                .description("Open Vaadin UIs (browser tabs) on this instance").register(registry);
    }

    @Override
    public void serviceInit(ServiceInitEvent event) {
        event.getSource().addSessionInitListener(e -> sessions.incrementAndGet());
        event.getSource().addSessionDestroyListener(e -> sessions.decrementAndGet());
        event.getSource().addUIInitListener(e -> {
            uis.incrementAndGet();
            e.getUI().addDetachListener(d -> uis.decrementAndGet());
        });
    }
}
