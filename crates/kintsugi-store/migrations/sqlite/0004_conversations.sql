-- Stage 3, structured conversations. The conversation row holds the state
-- of the floor; turns are append-only, numbered from 1 with no gaps, and the
-- unique (conversation_id, seq) is what refuses a replayed or racing turn.
CREATE TABLE conversations (
    id           INTEGER PRIMARY KEY,
    couple_id    INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    proposer     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    partner      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    topic        TEXT    NOT NULL,
    ground_rules TEXT    NOT NULL,
    phase        TEXT    NOT NULL CHECK (phase IN ('proposed', 'declined', 'active', 'ended')),
    speaker      INTEGER NOT NULL,
    step         TEXT    NOT NULL CHECK (step IN ('speak', 'reflect', 'confirm')),
    turns        INTEGER NOT NULL,
    paused_until INTEGER,
    paused_by    INTEGER,
    closing_note TEXT,
    ended_by     INTEGER,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX conversations_couple ON conversations(couple_id, updated_at);
CREATE TABLE turns (
    id              INTEGER PRIMARY KEY,
    couple_id       INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    author          INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL CHECK (kind IN ('speak', 'reflect', 'confirm', 'correct')),
    text            TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    UNIQUE (conversation_id, seq)
);
