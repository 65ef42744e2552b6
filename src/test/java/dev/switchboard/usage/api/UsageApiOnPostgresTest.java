package dev.switchboard.usage.api;

import dev.switchboard.testsupport.OnPostgres;

@OnPostgres
class UsageApiOnPostgresTest extends UsageApiTest {
}
