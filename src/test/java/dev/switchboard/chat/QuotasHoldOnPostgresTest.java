package dev.switchboard.chat;

import dev.switchboard.testsupport.OnPostgres;

@OnPostgres
class QuotasHoldOnPostgresTest extends QuotasHoldTest {
}
