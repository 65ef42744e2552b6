package dev.switchboard.admin.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.shared.Registration;
import dev.switchboard.admin.UpstreamAttempts;
import dev.switchboard.llm.UpstreamHealth;
import dev.switchboard.llm.UpstreamRouter;
import jakarta.annotation.security.RolesAllowed;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.stream.Collectors;

/** The upstream chain in failover order with each one's state, and the latest attempts; refreshes every 5 s. */
@Route("admin/upstreams")
@PageTitle("Upstreams · Switchboard")
@RolesAllowed("ADMIN")
class UpstreamsView extends VerticalLayout {
    static final int ATTEMPTS = 50;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    final Grid<UpstreamHealth.Snapshot> upstreams = new Grid<>();
    final Grid<UpstreamAttempts.Attempt> attempts = new Grid<>();
    private final UpstreamRouter router;
    private final UpstreamAttempts recent;
    private Registration poll;

    UpstreamsView(UpstreamRouter router, UpstreamAttempts recent) {
        this.router = router;
        this.recent = recent;
        setMaxWidth("80rem");

        upstreams.addColumn(UpstreamHealth.Snapshot::name).setHeader("Upstream").setAutoWidth(true).setKey("name");
        upstreams.addColumn(UpstreamsView::state).setHeader("State").setAutoWidth(true).setKey("state");
        upstreams.addColumn(UpstreamHealth.Snapshot::calls).setHeader("Calls").setKey("calls");
        upstreams.addColumn(UpstreamHealth.Snapshot::failures).setHeader("Failures").setKey("failures");
        upstreams.addColumn(s -> s.lastLatencyMillis() < 0 ? "—" : s.lastLatencyMillis() + " ms").setHeader("Last latency").setKey("latency");
        upstreams.addColumn(UpstreamsView::recentFailures).setHeader("Recent failures").setFlexGrow(3).setKey("recent");
        upstreams.setAllRowsVisible(true);
        upstreams.addThemeVariants(GridVariant.LUMO_COMPACT);

        attempts.addColumn(a -> DATE_TIME.format(a.at())).setHeader("At").setAutoWidth(true).setKey("at");
        attempts.addColumn(UpstreamAttempts.Attempt::upstream).setHeader("Upstream").setKey("upstream");
        attempts.addColumn(UpstreamAttempts.Attempt::outcome).setHeader("Outcome").setFlexGrow(2).setKey("outcome");
        attempts.addColumn(a -> a.latencyMillis() + " ms").setHeader("Latency").setKey("latency");
        attempts.addColumn(UpstreamAttempts.Attempt::generationId).setHeader("Generation").setAutoWidth(true).setKey("generation");
        attempts.addThemeVariants(GridVariant.LUMO_COMPACT);
        attempts.setHeight("28rem");

        Button refresh = new Button("Refresh", VaadinIcon.REFRESH.create(), e -> refresh());
        refresh.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        add(new H2("Upstreams"),
                new Paragraph("In failover order. Three failures within a minute, or a rejected key, cool an upstream down; "
                        + "after the cooldown it gets one trial request."),
                upstreams, new H3("Latest attempts"), attempts, refresh);
        refresh();
    }

    void refresh() {
        upstreams.setItems(router.health());
        attempts.setItems(recent.latest(ATTEMPTS));
    }

    /** "healthy", "cooling down until 12:00:31", "key rejected (trial at 12:00:31)", "trial due". */
    static String state(UpstreamHealth.Snapshot s) {
        return switch (s.state()) {
            case HEALTHY -> "healthy";
            case COOLING_DOWN -> "cooling down until " + TIME.format(s.coolingUntil());
            case KEY_REJECTED -> "key rejected (trial at " + TIME.format(s.coolingUntil()) + ")";
            case TRIAL -> "trial due";
        };
    }

    static String recentFailures(UpstreamHealth.Snapshot s) {
        return s.recentFailures().stream().limit(3)
                .map(f -> TIME.format(f.at()) + " " + f.message())
                .collect(Collectors.joining("; "));
    }

    @Override
    protected void onAttach(AttachEvent e) {
        e.getUI().setPollInterval(5_000);
        poll = e.getUI().addPollListener(p -> refresh());
    }

    @Override
    protected void onDetach(DetachEvent e) {
        if (poll != null) poll.remove();
        e.getUI().setPollInterval(-1);
    }
}
