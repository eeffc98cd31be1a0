-- Stage 11, growing together: shared goals and their small steps, rituals,
-- appreciations and good moments. Stage 12, letting the past go: incidents,
-- who shared them, each partner's readiness, when one was laid to rest, and
-- what each chose to carry forward.
--
-- Nothing here is updated or deleted. Ticking a step off, or un-ticking it,
-- adds a row to step_ticks: the latest row is how the step stands, and the
-- rows before it are its history. Readiness is kept the same way. Sharing
-- and laying to rest are one row each, whose unique incident_id refuses a
-- second; what a partner carries forward is one row per person.
CREATE TABLE goals (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id  BIGINT  NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    author     BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    title      TEXT    NOT NULL,
    created_at BIGINT  NOT NULL
);
CREATE INDEX goals_couple ON goals(couple_id, id);

CREATE TABLE goal_steps (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id  BIGINT  NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    goal_id    BIGINT  NOT NULL REFERENCES goals(id) ON DELETE CASCADE,
    author     BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    text       TEXT    NOT NULL,
    created_at BIGINT  NOT NULL
);
CREATE INDEX goal_steps_couple ON goal_steps(couple_id, goal_id, id);

CREATE TABLE step_ticks (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id  BIGINT  NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    step_id    BIGINT  NOT NULL REFERENCES goal_steps(id) ON DELETE CASCADE,
    by_user    BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    done       BIGINT  NOT NULL CHECK (done IN (0, 1)),
    created_at BIGINT  NOT NULL
);
CREATE INDEX step_ticks_couple ON step_ticks(couple_id, step_id, id);

CREATE TABLE rituals (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id  BIGINT  NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    author     BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    days       TEXT    NOT NULL,
    at_time    TEXT    NOT NULL,
    note       TEXT,
    created_at BIGINT  NOT NULL
);
CREATE INDEX rituals_couple ON rituals(couple_id, id);

CREATE TABLE appreciations (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id  BIGINT  NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    author     BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    text       TEXT    NOT NULL,
    created_at BIGINT  NOT NULL
);
CREATE INDEX appreciations_couple ON appreciations(couple_id, id);

CREATE TABLE good_moments (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id  BIGINT  NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    author     BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    day        TEXT    NOT NULL,
    text       TEXT    NOT NULL,
    created_at BIGINT  NOT NULL
);
CREATE INDEX good_moments_couple ON good_moments(couple_id, day, id);

CREATE TABLE incidents (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id   BIGINT  NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    author      BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    description TEXT,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX incidents_couple ON incidents(couple_id, id);

CREATE TABLE incident_shares (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id   BIGINT  NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    incident_id BIGINT  NOT NULL UNIQUE REFERENCES incidents(id) ON DELETE CASCADE,
    created_at  BIGINT  NOT NULL
);

CREATE TABLE incident_readiness (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id   BIGINT  NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    incident_id BIGINT  NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    user_id     BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    ready       BIGINT  NOT NULL CHECK (ready IN (0, 1)),
    created_at  BIGINT  NOT NULL
);
CREATE INDEX incident_readiness_couple ON incident_readiness(couple_id, incident_id, id);

CREATE TABLE incidents_at_rest (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id   BIGINT  NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    incident_id BIGINT  NOT NULL UNIQUE REFERENCES incidents(id) ON DELETE CASCADE,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX incidents_at_rest_couple ON incidents_at_rest(couple_id, created_at);

CREATE TABLE carried_forward (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_id   BIGINT  NOT NULL REFERENCES couples(id) ON DELETE CASCADE,
    incident_id BIGINT  NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    user_id     BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    text        TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    UNIQUE (incident_id, user_id)
);
