package dev.switchboard.users;

import dev.switchboard.testsupport.OnPostgres;

@OnPostgres
class UserAccountsOnPostgresTest extends UserAccountsTest {
}
