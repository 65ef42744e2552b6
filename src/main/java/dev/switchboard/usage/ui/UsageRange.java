package dev.switchboard.usage.ui;

import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import dev.switchboard.usage.UsageFilter;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;

/** From/to date pickers (UTC days, both inclusive), the last 30 days at first; calls back on every valid change. */
public class UsageRange extends HorizontalLayout {
    public static final int DEFAULT_DAYS = 30;

    private final DatePicker from = new DatePicker("From");
    private final DatePicker to = new DatePicker("To");

    public UsageRange(Consumer<UsageRange> onChange) {
        UsageFilter initial = UsageFilter.lastDays(DEFAULT_DAYS);
        DatePicker.DatePickerI18n i18n = new DatePicker.DatePickerI18n().setDateFormats("yyyy-MM-dd", "yyyy-M-d", "d.M.yyyy");
        for (DatePicker p : List.of(from, to)) {
            p.setI18n(i18n);
            p.setWeekNumbersVisible(false);
            p.setWidth("10rem");
            p.setHelperText(p == from ? "UTC" : null);
        }
        from.setValue(initial.from());
        to.setValue(initial.to());
        to.setMax(LocalDate.now(ZoneOffset.UTC).plusDays(1));
        from.addValueChangeListener(e -> changed(onChange));
        to.addValueChangeListener(e -> changed(onChange));
        setAlignItems(FlexComponent.Alignment.BASELINE);
        setSpacing(true);
        add(from, to);
    }

    public LocalDate from() { return from.getValue(); }

    public LocalDate to() { return to.getValue(); }

    /** True when both dates are set and in order (the pickers show what is wrong otherwise). */
    public boolean valid() {
        boolean ok = from.getValue() != null && to.getValue() != null && !from.getValue().isAfter(to.getValue());
        from.setInvalid(!ok);
        from.setErrorMessage(ok ? null : from.getValue() == null || to.getValue() == null ? "Pick both dates" : "After 'To'");
        return ok;
    }

    public void set(LocalDate f, LocalDate t) {
        from.setValue(f);
        to.setValue(t);
    }

    private void changed(Consumer<UsageRange> onChange) {
        if (valid()) onChange.accept(this);
    }
}
