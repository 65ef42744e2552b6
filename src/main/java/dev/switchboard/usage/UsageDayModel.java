package dev.switchboard.usage;

import java.math.BigDecimal;
import java.time.LocalDate;

/** One bar segment of the dashboard chart: a day's tokens and priced cost for one model. */
public record UsageDayModel(LocalDate day, String model, long tokens, BigDecimal costUsd, long unpricedRequests) {}
