package dev.switchboard.chat;

import dev.switchboard.testsupport.OnPostgres;

@OnPostgres
class ChatLimitsOnPostgresTest extends ChatLimitsTest {
}
