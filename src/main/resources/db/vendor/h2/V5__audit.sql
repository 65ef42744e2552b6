-- Admin actions (who did what to whom, when). Never holds a password, only that one was reset.
CREATE TABLE audit_log (
    id     BIGINT AUTO_INCREMENT PRIMARY KEY,
    at     TIMESTAMP WITH TIME ZONE NOT NULL,
    actor  VARCHAR(64)  NOT NULL,
    action VARCHAR(32)  NOT NULL,
    target VARCHAR(64),
    detail VARCHAR(500)
);
CREATE INDEX ix_audit_at ON audit_log (at);
