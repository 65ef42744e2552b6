package dev.switchboard.usage.api;

import dev.switchboard.testsupport.OnPostgres;

@OnPostgres
class UsageEndToEndOnPostgresTest extends UsageEndToEndTest {
}
