package dev.switchboard.usage;

import dev.switchboard.testsupport.OnPostgres;

@OnPostgres
class UsageQueriesOnPostgresTest extends UsageQueriesTest {
}
