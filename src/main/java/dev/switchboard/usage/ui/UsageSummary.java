package dev.switchboard.usage.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import dev.switchboard.usage.UsageRow;
import dev.switchboard.usage.UsageTotals;

/** The totals as a row of small cards: requests, tokens, cost, error rate, median time to first token. */
public class UsageSummary extends Div {

    public UsageSummary() {
        addClassName("sb-usage-summary");
        getStyle().set("display", "flex").set("flex-wrap", "wrap").set("gap", "var(--lumo-space-m)");
    }

    public void show(UsageTotals totals) {
        removeAll();
        UsageRow t = totals.sums();
        add(card("Requests", UsageFormat.count(t.requests()), t.estimatedRequests() == 0 ? null
                : UsageFormat.count(t.estimatedRequests()) + " with estimated counts"));
        add(card("Prompt tokens", UsageFormat.count(t.promptTokens()), null));
        add(card("Completion tokens", UsageFormat.count(t.completionTokens()), null));
        add(card("Cost", UsageFormat.usd(t.costUsd()), t.unpricedRequests() == 0 ? null
                : requests(t.unpricedRequests()) + " without a price"));
        add(card("Error rate", UsageFormat.percent(t.errorRate()), UsageFormat.count(t.errors()) + " failed or interrupted"));
        add(card("Median time to first token", (totals.medianApproximate() ? "≈ " : "") + UsageFormat.millis(totals.medianTtftMillis()),
                totals.medianApproximate() ? "from the latency histogram" : null));
    }

    private static String requests(long n) {
        return UsageFormat.count(n) + (n == 1 ? " request" : " requests");
    }

    private static Div card(String label, String value, String note) {
        Span l = new Span(label);
        l.getStyle().set("color", "var(--lumo-secondary-text-color)").set("font-size", "var(--lumo-font-size-s)");
        Span v = new Span(value);
        v.addClassName("sb-usage-value");
        v.getStyle().set("font-size", "var(--lumo-font-size-xl)").set("font-weight", "600");
        Div card = new Div(l, v);
        card.addClassName("sb-usage-card");
        card.getElement().setAttribute("data-label", label);
        card.getStyle().set("display", "flex").set("flex-direction", "column").set("gap", "var(--lumo-space-xs)")
                .set("padding", "var(--lumo-space-s) var(--lumo-space-m)").set("flex", "1 1 9rem").set("min-width", "9rem")
                .set("border", "1px solid var(--lumo-contrast-10pct)").set("border-radius", "var(--lumo-border-radius-l)")
                .set("background", "var(--lumo-base-color)");
        if (note != null) {
            Span n = new Span(note);
            n.getStyle().set("color", "var(--lumo-tertiary-text-color)").set("font-size", "var(--lumo-font-size-xs)");
            card.add(n);
        }
        return card;
    }
}
