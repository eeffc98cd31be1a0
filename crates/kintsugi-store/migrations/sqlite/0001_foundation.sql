-- Accounts, sessions, couples, invitations, the safety check and daily check-ins.
-- Times are Unix seconds; days are ISO dates (YYYY-MM-DD) so they sort as text.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE couples (
    id         INTEGER PRIMARY KEY,
    created_at INTEGER NOT NULL
);

-- A couple has two seats; the unique constraints make a third member, or a
-- person in two couples, impossible whatever the race.
CREATE TABLE members (
    couple_id INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
    seat      INTEGER NOT NULL CHECK (seat IN (1, 2)),
    role      TEXT    NOT NULL CHECK (role IN ('hurt', 'repairing', 'both')),
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (couple_id, seat)
);

CREATE TABLE invitations (
    id         INTEGER PRIMARY KEY,
    couple_id  INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    token_hash TEXT    NOT NULL UNIQUE,
    created_by INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER,
    used_by    INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX invitations_couple ON invitations(couple_id);

-- Belongs to one person, never to the couple: the partner has no path to it.
CREATE TABLE safety_checks (
    id       INTEGER PRIMARY KEY,
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    answers  TEXT    NOT NULL,
    outcome  TEXT    NOT NULL CHECK (outcome IN ('clear', 'concerning')),
    taken_at INTEGER NOT NULL
);
CREATE INDEX safety_checks_user ON safety_checks(user_id, taken_at);

-- Every version of every check-in; the current one for a day is the highest version.
CREATE TABLE check_ins (
    id         INTEGER PRIMARY KEY,
    couple_id  INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    day        TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    trust      INTEGER NOT NULL CHECK (trust BETWEEN 0 AND 10),
    safety     INTEGER NOT NULL CHECK (safety BETWEEN 0 AND 10),
    connection INTEGER NOT NULL CHECK (connection BETWEEN 0 AND 10),
    act_kind   TEXT    NOT NULL CHECK (act_kind IN ('kindness', 'honesty', 'effort')),
    act        TEXT    NOT NULL,
    note       TEXT,
    visibility TEXT    NOT NULL CHECK (visibility IN ('private', 'shared')),
    created_at INTEGER NOT NULL,
    UNIQUE (user_id, day, version)
);
CREATE INDEX check_ins_couple_day ON check_ins(couple_id, day);
