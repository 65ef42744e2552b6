package dev.switchboard.bench;

import java.util.Map;

/** The paced mock as the bench sees it, in the bench's JVM ({@link PacedMockUpstream}) or its own ({@link MockProcess}). */
interface BenchUpstream extends AutoCloseable {
    /** The OpenAI base URL, ending in /v1. */
    String baseUrl();

    String apiKey();

    /**
     * When each numbered request ({@link StreamLoad#MARK}) reached the mock since the last call, by number, as
     * System.nanoTime there (one clock for all processes of a Linux machine: CLOCK_MONOTONIC); then forgotten.
     */
    Map<Long, Long> drainReceived();
}
