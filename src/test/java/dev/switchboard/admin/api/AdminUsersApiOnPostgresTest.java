package dev.switchboard.admin.api;

import dev.switchboard.testsupport.OnPostgres;

@OnPostgres
class AdminUsersApiOnPostgresTest extends AdminUsersApiTest {
}
