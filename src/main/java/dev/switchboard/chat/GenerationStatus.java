package dev.switchboard.chat;

import java.util.Locale;

/** How a generation ended (or that it still runs). Stored lowercase in the usage rows. */
public enum GenerationStatus {
    RUNNING, COMPLETED, STOPPED, FAILED, INTERRUPTED;

    public String label() { return name().toLowerCase(Locale.ROOT); }
}
