-- Stage 8: commitments with a schedule, and what became of each occasion.
-- Nothing here is updated in place. A commitment keeps its words and
-- schedule for good; ending it (or changing it, which ends it and starts
-- a successor pointing back through `replaces`) is one row in
-- commitment_endings, whose unique commitment_id refuses a second ending.
-- Occasions are not stored ahead: the schedule produces them. A mark or a
-- witness's word is a row numbered per occasion (seq 1, then corrections
-- 2, 3…); the unique (commitment, occasion, seq) lets exactly one of two
-- racing or replayed first marks land.
CREATE TABLE commitments (
    id         INTEGER PRIMARY KEY,
    couple_id  INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    author     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    text       TEXT    NOT NULL,
    repeat     TEXT    NOT NULL CHECK (repeat IN ('daily', 'weekdays', 'weekly', 'once')),
    days       TEXT    NOT NULL DEFAULT '',
    starts     TEXT    NOT NULL,
    at         TEXT,
    replaces   INTEGER UNIQUE REFERENCES commitments(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL
);
CREATE INDEX commitments_couple ON commitments(couple_id, id);

CREATE TABLE commitment_endings (
    id            INTEGER PRIMARY KEY,
    couple_id     INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    commitment_id INTEGER NOT NULL UNIQUE REFERENCES commitments(id) ON DELETE CASCADE,
    last_day      TEXT    NOT NULL,
    reason        TEXT    NOT NULL CHECK (reason IN ('ended', 'changed')),
    note          TEXT,
    created_at    INTEGER NOT NULL
);

CREATE TABLE commitment_marks (
    id            INTEGER PRIMARY KEY,
    couple_id     INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    commitment_id INTEGER NOT NULL REFERENCES commitments(id) ON DELETE CASCADE,
    occasion      TEXT    NOT NULL,
    seq           INTEGER NOT NULL CHECK (seq > 0),
    mark          TEXT    NOT NULL CHECK (mark IN ('kept', 'missed')),
    note          TEXT,
    by_user       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at    INTEGER NOT NULL,
    UNIQUE (commitment_id, occasion, seq)
);
CREATE INDEX commitment_marks_couple ON commitment_marks(couple_id, occasion);

CREATE TABLE commitment_witnesses (
    id            INTEGER PRIMARY KEY,
    couple_id     INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    commitment_id INTEGER NOT NULL REFERENCES commitments(id) ON DELETE CASCADE,
    occasion      TEXT    NOT NULL,
    seq           INTEGER NOT NULL CHECK (seq > 0),
    seen          TEXT    NOT NULL CHECK (seen IN ('witnessed', 'saw_otherwise')),
    note          TEXT,
    by_user       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at    INTEGER NOT NULL,
    UNIQUE (commitment_id, occasion, seq)
);
CREATE INDEX commitment_witnesses_couple ON commitment_witnesses(couple_id, occasion);

-- A person's private calendar feed: only the token's hash is kept, so the
-- address cannot be read back out of the database; one feed a person, and
-- making a new one (or revoking it) removes the old.
CREATE TABLE calendar_feeds (
    id         INTEGER PRIMARY KEY,
    couple_id  INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT    NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);
