package dev.switchboard.ui;

import com.vaadin.flow.component.Component;

/** A view that puts its own navigation (e.g. the chat's conversation list) into the drawer, under the app links. */
public interface DrawerContent {
    Component drawerContent();
}
