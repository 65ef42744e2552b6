package dev.switchboard.usage;

/** Records one usage row per finished generation, off the stream's thread. */
public interface UsageRecorder {
    void record(UsageRecord record);
}
