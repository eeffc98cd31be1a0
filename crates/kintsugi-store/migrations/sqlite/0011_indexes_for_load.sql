-- Indexes the load test showed were missing. The messages page counts the
-- author's own messages for their private coaching tally (WHERE user_id),
-- which without an index reads every couple's messages; the hourly purge of
-- expired sessions looks them up by their end.
CREATE INDEX messages_user ON messages(user_id);
CREATE INDEX sessions_expires ON sessions(expires_at);
