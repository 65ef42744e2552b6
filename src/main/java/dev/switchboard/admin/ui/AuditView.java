package dev.switchboard.admin.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.switchboard.admin.users.AuditLog;
import jakarta.annotation.security.RolesAllowed;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The latest admin actions and logins: who did what to whom, and when. Read-only. */
@Route("admin/audit")
@PageTitle("Audit log · Switchboard")
@RolesAllowed("ADMIN")
class AuditView extends VerticalLayout {
    static final int LATEST = 500;
    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    final Grid<AuditLog.Entry> grid = new Grid<>();
    private final AuditLog audit;

    AuditView(AuditLog audit) {
        this.audit = audit;
        setMaxWidth("90rem");
        setHeightFull();
        grid.addColumn(e -> AT.format(e.at())).setHeader("When (UTC)").setAutoWidth(true).setKey("at");
        grid.addColumn(AuditLog.Entry::actor).setHeader("Who").setAutoWidth(true).setKey("actor");
        grid.addColumn(e -> e.action().name()).setHeader("What").setAutoWidth(true).setKey("action");
        grid.addColumn(e -> e.target() == null ? "" : e.target()).setHeader("User").setAutoWidth(true).setKey("target");
        grid.addColumn(e -> e.detail() == null ? "" : e.detail()).setHeader("Detail").setFlexGrow(2).setKey("detail");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        Button refresh = new Button("Refresh", VaadinIcon.REFRESH.create(), e -> refresh());
        refresh.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        add(new H2("Audit log"), new Paragraph("The latest " + LATEST + " admin actions and logins, newest first."), grid, refresh);
        setFlexGrow(1, grid);
        refresh();
    }

    void refresh() {
        grid.setItems(audit.latest(LATEST));
    }
}
