package dev.switchboard.security;

import dev.switchboard.testsupport.OnPostgres;

@OnPostgres
class AdminBootstrapOnPostgresTest extends AdminBootstrapTest {
}
