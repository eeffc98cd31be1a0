-- Stage 9: the transparency log. One Merkle tree per couple: each
-- disclosure is a leaf (a salted commitment to its fields, recomputed from
-- the row), the tree's hashes are kept in the stored-hash order of
-- c2sp.org/tlog-tiles so a proof reads only log n of them, and every tree
-- head the server signs is kept as a checkpoint. Rows are only ever added.
CREATE TABLE disclosures (
    id          INTEGER PRIMARY KEY,
    couple_id   INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    author_id   INTEGER REFERENCES users(id) ON DELETE SET NULL,
    category    TEXT    NOT NULL CHECK (category IN ('whereabouts', 'contact', 'routine', 'other')),
    occurred_at TEXT    NOT NULL,
    text        TEXT    NOT NULL,
    corrects    INTEGER,
    salt        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (couple_id, position)
);

CREATE TABLE log_hashes (
    couple_id INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    hash      TEXT    NOT NULL,
    PRIMARY KEY (couple_id, position)
);

CREATE TABLE log_checkpoints (
    couple_id  INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    size       INTEGER NOT NULL,
    note       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (couple_id, size)
);
