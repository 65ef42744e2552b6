package dev.switchboard.admin.ui;

import com.vaadin.flow.component.Svg;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.streams.DownloadHandler;
import dev.switchboard.usage.UsageCsv;
import dev.switchboard.usage.UsageDayModel;
import dev.switchboard.usage.UsageFilter;
import dev.switchboard.usage.UsageGroupBy;
import dev.switchboard.usage.UsageQueries;
import dev.switchboard.usage.UsageRow;
import dev.switchboard.usage.UsageTotals;
import dev.switchboard.usage.ui.UsageChart;
import dev.switchboard.usage.ui.UsageGrid;
import dev.switchboard.usage.ui.UsageRange;
import dev.switchboard.usage.ui.UsageSummary;
import jakarta.annotation.security.RolesAllowed;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

/** The admin usage dashboard: totals, tokens or cost per day by model, and sortable grids by user and by model. */
@Route("admin/usage")
@PageTitle("Usage · Switchboard")
@RolesAllowed("ADMIN")
class UsageView extends VerticalLayout {
    private final UsageQueries queries;
    private final UsageRange range = new UsageRange(r -> refresh());
    private final ComboBox<String> user = new ComboBox<>("User");
    private final ComboBox<String> model = new ComboBox<>("Model");
    private final RadioButtonGroup<UsageChart.Metric> metric = new RadioButtonGroup<>("Chart");
    private final Anchor export = new Anchor();
    private final UsageSummary summary = new UsageSummary();
    private final Svg chart = new Svg();
    private final UsageGrid byUser = new UsageGrid("User");
    private final UsageGrid byModel = new UsageGrid("Model");
    private List<UsageDayModel> chartData = List.of();

    UsageView(UsageQueries queries) {
        this.queries = queries;
        setMaxWidth("80rem");
        for (ComboBox<String> c : List.of(user, model)) {
            c.setClearButtonVisible(true);
            c.setWidth("13rem");
            c.addValueChangeListener(e -> { if (e.isFromClient()) refresh(); });
        }
        user.setPlaceholder("All users");
        model.setPlaceholder("All models");
        metric.setItems(UsageChart.Metric.values());
        metric.setItemLabelGenerator(m -> m == UsageChart.Metric.TOKENS ? "Tokens" : "Cost");
        metric.setValue(UsageChart.Metric.TOKENS);
        metric.addValueChangeListener(e -> drawChart());
        export.add(new Button("Export CSV", VaadinIcon.DOWNLOAD_ALT.create()));
        export.getElement().setAttribute("download", true);
        HorizontalLayout filters = new HorizontalLayout(range, user, model, metric, export);
        filters.setAlignItems(FlexComponent.Alignment.BASELINE);
        filters.setWrap(true);
        chart.addClassName("sb-usage-chart");
        chart.getStyle().set("width", "100%");
        add(new H2("Usage"), filters, summary, chart, grids());
        refresh();
    }

    private Div grids() {
        Div byUserBox = new Div(new H3("By user"), byUser);
        Div byModelBox = new Div(new H3("By model"), byModel);
        Div both = new Div(byUserBox, byModelBox);
        both.setWidthFull();
        // Stacked, full width: side by side the cost column ("$1.98 + 12 unpriced") and model names got cut off.
        both.getStyle().set("display", "flex").set("flex-direction", "column").set("gap", "var(--lumo-space-m)");
        return both;
    }

    private void refresh() {
        if (!range.valid()) return;
        UsageFilter dates = new UsageFilter(range.from(), range.to(), null, null);
        keepChoices(user, queries.users(dates));
        keepChoices(model, queries.models(dates));
        UsageFilter f = new UsageFilter(range.from(), range.to(), user.getValue(), model.getValue());
        UsageTotals totals = queries.totals(f);
        List<UsageRow> users = queries.grouped(f, UsageGroupBy.USER);
        List<UsageRow> models = queries.grouped(f, UsageGroupBy.MODEL);
        chartData = queries.perDayByModel(f);
        summary.show(totals);
        byUser.show(users);
        byModel.show(models);
        drawChart();
        // The export is exactly what is on screen now (the query ran once; the file is built from these rows).
        String csv = UsageCsv.withSections(List.of(new UsageCsv.Section("total", List.of(totals.sums())),
                new UsageCsv.Section("user", users), new UsageCsv.Section("model", models),
                new UsageCsv.Section("day", queries.grouped(f, UsageGroupBy.DAY))));
        byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
        String name = "usage-" + f.from() + "-" + f.to() + ".csv";
        export.setHref((DownloadHandler) event -> {
            event.setFileName(name);
            event.setContentType("text/csv; charset=utf-8");
            event.setContentLength(bytes.length);
            event.getOutputStream().write(bytes);
        });
    }

    private void drawChart() {
        if (range.valid()) chart.setSvg(UsageChart.svg(chartData, range.from(), range.to(), metric.getValue()));
    }

    /** New choices for a filter, keeping the current value even when it has no usage in the new range. */
    private static void keepChoices(ComboBox<String> box, List<String> choices) {
        String current = box.getValue();
        List<String> items = current == null || choices.contains(current)
                ? choices : Stream.concat(choices.stream(), Stream.of(current)).toList();
        box.setItems(items);
        box.setValue(current);
    }
}
