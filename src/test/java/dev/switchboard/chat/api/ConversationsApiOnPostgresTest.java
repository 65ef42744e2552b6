package dev.switchboard.chat.api;

import dev.switchboard.testsupport.OnPostgres;

@OnPostgres
class ConversationsApiOnPostgresTest extends ConversationsApiTest {
}
