-- Texts a person writes privately and may share with their partner: the
-- reflection's answers (stage 1), statements of responsibility and apologies
-- (stages 4 and 5). A subject names what the text is, such as
-- `reflection:needs` or `statement:apology`. The draft is private and
-- rewritable; every shared version is kept (append-only), so the partner
-- sees the history.
CREATE TABLE drafts (
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    couple_id  INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    subject    TEXT    NOT NULL,
    text       TEXT    NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, subject)
);
CREATE TABLE shared_texts (
    id        INTEGER PRIMARY KEY,
    couple_id INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    subject   TEXT    NOT NULL,
    version   INTEGER NOT NULL,
    text      TEXT    NOT NULL,
    shared_at INTEGER NOT NULL,
    UNIQUE (user_id, subject, version)
);
CREATE INDEX shared_texts_couple ON shared_texts(couple_id, subject);

-- Stage 2, the feelings journal: its author's alone, so it has no couple and
-- no visibility. Feelings are vocabulary words separated by spaces.
CREATE TABLE journal_entries (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    day        TEXT    NOT NULL,
    feelings   TEXT    NOT NULL,
    intensity  INTEGER NOT NULL CHECK (intensity BETWEEN 1 AND 10),
    text       TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX journal_entries_user_day ON journal_entries(user_id, day);
