-- Owning one's data: a partner who leaves the couple, or deletes their
-- account, is replaced in it by a placeholder person, one for each
-- departure. Everything they had shared is re-attributed to the placeholder
-- (their private records are erased first), so the remaining partner keeps
-- the couple's history — shown as "former partner" — and the person who
-- left keeps no tie to it. When no partner is left, the couple is erased.
CREATE TABLE former_partners (
    user_id   INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    couple_id INTEGER NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    how       TEXT    NOT NULL CHECK (how IN ('left', 'deleted')),
    left_at   INTEGER NOT NULL
);
CREATE INDEX former_partners_couple ON former_partners(couple_id);
