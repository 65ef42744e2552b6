package dev.switchboard.ui;

import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.router.AccessDeniedException;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.ErrorParameter;
import com.vaadin.flow.router.HasErrorParameter;
import com.vaadin.flow.router.ParentLayout;
import jakarta.annotation.security.PermitAll;
import jakarta.servlet.http.HttpServletResponse;

/**
 * What a logged-in user sees on a page their role may not open (a user at {@code /admin/users}): a page in the
 * app's layout, with the way back, instead of Vaadin's bare "Could not navigate". Anonymous visitors never get here:
 * they are sent to the login view first.
 */
@ParentLayout(MainLayout.class)
@PermitAll
class AccessDeniedView extends Div implements HasErrorParameter<AccessDeniedException> {

    AccessDeniedView() {
        addClassName("sb-error-page");
        Anchor back = new Anchor("", "Back to the chat");
        back.getElement().setAttribute("router-link", true);
        add(new H2("No access"), new Paragraph("This page is not available to your account. If you think it should be,"
                + " ask an administrator."), back);
    }

    @Override
    public int setErrorParameter(BeforeEnterEvent event, ErrorParameter<AccessDeniedException> parameter) {
        event.getUI().getPage().setTitle("No access · Switchboard");
        return HttpServletResponse.SC_FORBIDDEN;
    }
}
