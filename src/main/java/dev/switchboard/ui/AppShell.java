package dev.switchboard.ui;

import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.Push;
import com.vaadin.flow.server.AppShellSettings;
import com.vaadin.flow.shared.ui.Transport;
import com.vaadin.flow.theme.Theme;

/**
 * Page-wide settings: server push for streamed replies, the app theme, the title.
 *
 * <p>Push is WEBSOCKET_XHR (Vaadin's default, spelled out because {@link PushMemoryConfig} relies on it): the
 * websocket carries server-to-client pushes only, the client's requests go by XHR, so the per-tab buffers for
 * messages coming in over the websocket can stay small.
 */
@Push(transport = Transport.WEBSOCKET_XHR)
@Theme("switchboard")
public class AppShell implements AppShellConfigurator {
    @Override
    public void configurePage(AppShellSettings settings) {
        settings.setPageTitle("Switchboard");
        DarkMode.addEarlyScript(settings);
    }
}
