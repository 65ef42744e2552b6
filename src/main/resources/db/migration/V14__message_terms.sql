-- The words of each conversation's messages, per user, for the sidebar's search: a search for "foo bar" looks up,
-- for each of the user's conversations, words that begin with "foo" and with "bar" in a small index range, instead of
-- reading every message. Conversations stored before this migration are indexed by the app in the background
-- (terms_indexed). Plain SQL, the same on H2 and PostgreSQL.
CREATE TABLE message_terms (
    username        VARCHAR(64) NOT NULL,
    term            VARCHAR(32) NOT NULL,
    conversation_id VARCHAR(36) NOT NULL,
    CONSTRAINT pk_message_terms PRIMARY KEY (username, term, conversation_id),
    CONSTRAINT fk_message_terms_conversation FOREIGN KEY (conversation_id) REFERENCES conversations (id) ON DELETE CASCADE
);
CREATE INDEX ix_message_terms_conversation_term ON message_terms (conversation_id, term);
ALTER TABLE conversations ADD COLUMN terms_indexed BOOLEAN DEFAULT FALSE NOT NULL;
