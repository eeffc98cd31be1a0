-- Stage 3, structured conversations. The conversation row holds the state
-- of the floor; turns are append-only, numbered from 1 with no gaps, and the
-- unique (conversation_id, seq) is what refuses a replayed or racing turn.
CREATE TABLE conversations (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id    BIGINT  NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    proposer     BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    partner      BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    topic        TEXT    NOT NULL,
    ground_rules TEXT    NOT NULL,
    phase        TEXT    NOT NULL CHECK (phase IN ('proposed', 'declined', 'active', 'ended')),
    speaker      BIGINT  NOT NULL,
    step         TEXT    NOT NULL CHECK (step IN ('speak', 'reflect', 'confirm')),
    turns        BIGINT  NOT NULL,
    paused_until BIGINT,
    paused_by    BIGINT,
    closing_note TEXT,
    ended_by     BIGINT,
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL
);
CREATE INDEX conversations_couple ON conversations(couple_id, updated_at);
CREATE TABLE turns (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id       BIGINT  NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    conversation_id BIGINT  NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    seq             BIGINT  NOT NULL,
    author          BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL CHECK (kind IN ('speak', 'reflect', 'confirm', 'correct')),
    text            TEXT    NOT NULL,
    created_at      BIGINT  NOT NULL,
    UNIQUE (conversation_id, seq)
);
