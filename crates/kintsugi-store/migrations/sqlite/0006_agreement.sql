-- Stage 6: the couple's agreement of boundaries. Every table here is only
-- ever added to. A proposal is kept as it was made; how it ended is one row
-- in agreement_outcomes, whose unique proposal_id is what refuses a second
-- answer to the same proposal (a replayed consent, or two devices racing).
-- Each accepted proposal makes a version (version 0, the empty agreement,
-- has no row), and each version keeps the whole list of its boundaries.
CREATE TABLE agreement_proposals (
    id           INTEGER PRIMARY KEY,
    couple_id    INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    proposer     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL CHECK (kind IN ('add', 'change', 'remove')),
    boundary_key INTEGER,
    seen_since   INTEGER,
    text         TEXT,
    why          TEXT,
    note         TEXT,
    counters     INTEGER REFERENCES agreement_proposals(id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL
);
CREATE INDEX agreement_proposals_couple ON agreement_proposals(couple_id, id);

CREATE TABLE agreement_outcomes (
    id          INTEGER PRIMARY KEY,
    couple_id   INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    proposal_id INTEGER NOT NULL UNIQUE REFERENCES agreement_proposals(id) ON DELETE CASCADE,
    outcome     TEXT    NOT NULL CHECK (outcome IN ('accepted', 'declined', 'countered', 'withdrawn', 'stale')),
    by_user     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    reason      TEXT,
    created_at  INTEGER NOT NULL
);
CREATE INDEX agreement_outcomes_couple ON agreement_outcomes(couple_id);

CREATE TABLE agreement_versions (
    id           INTEGER PRIMARY KEY,
    couple_id    INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    version      INTEGER NOT NULL CHECK (version > 0),
    proposal_id  INTEGER NOT NULL UNIQUE REFERENCES agreement_proposals(id) ON DELETE CASCADE,
    proposed_by  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    consented_by INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    summary      TEXT    NOT NULL,
    accepted_at  INTEGER NOT NULL,
    UNIQUE (couple_id, version)
);

CREATE TABLE agreement_boundaries (
    id           INTEGER PRIMARY KEY,
    couple_id    INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    version      INTEGER NOT NULL,
    boundary_key INTEGER NOT NULL,
    text         TEXT    NOT NULL,
    why          TEXT,
    since        INTEGER NOT NULL,
    UNIQUE (couple_id, version, boundary_key)
);
