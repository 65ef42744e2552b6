package dev.switchboard.security;

import dev.switchboard.testsupport.OnPostgres;

@OnPostgres
class SessionsFollowTheAccountOnPostgresTest extends SessionsFollowTheAccountTest {
}
