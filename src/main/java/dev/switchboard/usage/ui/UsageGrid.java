package dev.switchboard.usage.ui;

import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridSortOrder;
import com.vaadin.flow.component.grid.GridVariant;
import dev.switchboard.usage.UsageRow;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;

/** Usage rows by one grouping (user, model, …), every column sortable, largest total first. */
public class UsageGrid extends Grid<UsageRow> {

    private static final java.util.Map<String, String> HEADER_WIDTHS = java.util.Map.of(
            "completion", "8.5rem", "total", "9rem", "estimated", "8rem", "errors", "6rem");

    public UsageGrid(String groupHeader) {
        addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        addColumn(UsageRow::group).setHeader(groupHeader).setComparator(UsageRow::group).setFlexGrow(2).setKey("group");
        number("Requests", UsageRow::requests, "requests");
        number("Prompt", UsageRow::promptTokens, "prompt");
        number("Completion", UsageRow::completionTokens, "completion");
        Column<UsageRow> total = number("Total tokens", UsageRow::totalTokens, "total");
        // As wide as its longest text ("$0.0031 + 13 unpriced"), never cut off; the tooltip says it again.
        addColumn(UsageFormat::cost).setHeader("Cost").setKey("cost").setTextAlign(ColumnTextAlign.END).setFlexGrow(3)
                .setAutoWidth(true).setTooltipGenerator(UsageFormat::cost)
                .setComparator(Comparator.comparing(UsageRow::costUsd, Comparator.nullsFirst(BigDecimal::compareTo)));
        addColumn(r -> UsageFormat.percent(r.errorRate())).setHeader("Errors").setKey("errors")
                .setTextAlign(ColumnTextAlign.END).setComparator(Comparator.comparingDouble(UsageRow::errorRate));
        number("Estimated", UsageRow::estimatedRequests, "estimated").setTooltipGenerator(r -> "requests counted by the tokenizer");
        sort(GridSortOrder.desc(total).build());
        // Names and costs as wide as their values; the other columns wide enough for their header and sort arrow
        // (the grid's auto width leaves the arrow out). A narrow window scrolls the grid sideways instead.
        getColumns().forEach(c -> c.setResizable(true));
        getColumnByKey("group").setAutoWidth(true);
        getColumns().stream().filter(c -> !c.isAutoWidth())
                .forEach(c -> c.setWidth(HEADER_WIDTHS.getOrDefault(c.getKey(), "7rem")));
    }

    public void show(List<UsageRow> rows) {
        // Short lists at their natural height; long ones (hundreds of users) scroll inside the grid.
        setAllRowsVisible(rows.size() <= 12);
        if (rows.size() > 12) setHeight("26rem");
        setItems(rows);
    }

    private Column<UsageRow> number(String header, ToLongFunction<UsageRow> value, String key) {
        return addColumn(r -> UsageFormat.count(value.applyAsLong(r))).setHeader(header).setKey(key)
                .setTextAlign(ColumnTextAlign.END).setComparator(Comparator.comparingLong(value));
    }

}
