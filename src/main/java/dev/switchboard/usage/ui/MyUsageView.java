package dev.switchboard.usage.ui;

import com.vaadin.flow.component.Svg;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;
import dev.switchboard.usage.UsageFilter;
import dev.switchboard.usage.UsageGroupBy;
import dev.switchboard.usage.UsageQueries;
import jakarta.annotation.security.PermitAll;

/** "My usage": the logged-in user's own totals, tokens per day and usage by model. Never anyone else's. */
@Route("usage")
@PageTitle("My usage · Switchboard")
@PermitAll
class MyUsageView extends VerticalLayout {
    private final UsageQueries queries;
    private final String username;
    private final UsageRange range = new UsageRange(r -> refresh());
    private final UsageSummary summary = new UsageSummary();
    private final Svg chart = new Svg();
    private final UsageGrid byModel = new UsageGrid("Model");

    MyUsageView(UsageQueries queries, AuthenticationContext auth) {
        this.queries = queries;
        // The filter is fixed to the principal: there is no way to ask for another user's rows here.
        this.username = auth.getPrincipalName().orElseThrow(() -> new IllegalStateException("not logged in"));
        setMaxWidth("64rem");
        chart.addClassName("sb-usage-chart");
        chart.getStyle().set("width", "100%");
        add(new H2("My usage"), range, summary, chart, new H3("By model"), byModel);
        refresh();
    }

    private void refresh() {
        if (!range.valid()) return;
        UsageFilter f = new UsageFilter(range.from(), range.to(), username, null);
        summary.show(queries.totals(f));
        chart.setSvg(UsageChart.svg(queries.perDayByModel(f), f.from(), f.to(), UsageChart.Metric.TOKENS));
        byModel.show(queries.grouped(f, UsageGroupBy.MODEL));
    }
}
