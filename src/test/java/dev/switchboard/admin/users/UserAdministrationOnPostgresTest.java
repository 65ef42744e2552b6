package dev.switchboard.admin.users;

import dev.switchboard.testsupport.OnPostgres;

@OnPostgres
class UserAdministrationOnPostgresTest extends UserAdministrationTest {
}
