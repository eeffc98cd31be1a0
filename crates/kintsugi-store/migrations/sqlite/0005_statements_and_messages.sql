-- Stages 4 and 5: the partner's answer to a statement of responsibility or
-- an apology (a shared text). Answers are kept, never edited.
CREATE TABLE responses (
    id             INTEGER PRIMARY KEY,
    couple_id      INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    shared_text_id INTEGER NOT NULL REFERENCES shared_texts(id) ON DELETE CASCADE,
    user_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    verdict        TEXT    NOT NULL CHECK (verdict IN ('helped', 'not_yet', 'need_to_hear')),
    text           TEXT,
    created_at     INTEGER NOT NULL
);
CREATE INDEX responses_couple ON responses(couple_id, shared_text_id);

-- Stage 10: messages between the partners. The two counts of the coach's
-- concerns (on the first draft it saw, and on the words sent) feed the
-- author's private tally and are never shown to the partner.
CREATE TABLE messages (
    id             INTEGER PRIMARY KEY,
    couple_id      INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    user_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    text           TEXT    NOT NULL,
    concerns_first INTEGER NOT NULL,
    concerns_sent  INTEGER NOT NULL,
    created_at     INTEGER NOT NULL
);
CREATE INDEX messages_couple ON messages(couple_id, id);
