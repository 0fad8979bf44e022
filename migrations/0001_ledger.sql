-- wsdb's own schema in the control database: the ledger of runs, the
-- per-workspace results of each run, the version cache behind
-- `status --cached`, and the claims cooperative runners (`--queue`) lease.
--
-- The workspace databases are the source of truth; everything here is a
-- record written after a workspace committed, and may be rebuilt by the next
-- run or `status --refresh`. Values are constrained here as well as in the
-- binary so that a hand-written UPDATE cannot leave rows wsdb cannot read.
--
-- The schema `wsdb` itself and the bookkeeping table
-- `wsdb.schema_migrations` are created by the migrator before this file runs.

-- One row per wsdb command that writes the ledger. `id` is what users type
-- in `--resume ID` and `runs show ID`, hence a short integer.
CREATE TABLE wsdb.runs (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    command      text        NOT NULL,
    -- The command line after the command name; wsdb never puts a secret in it.
    args         text[]      NOT NULL DEFAULT '{}',
    env          text        NOT NULL,
    started_by   text        NOT NULL,
    wsdb_version text        NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    outcome      text        NOT NULL DEFAULT 'running'
        CONSTRAINT runs_outcome_known
        CHECK (outcome IN ('running', 'succeeded', 'failed', 'interrupted')),
    -- Rendezvous of cooperative runners: runners started with the same key
    -- join the run that is still running under it instead of starting one.
    queue_key    text,
    CONSTRAINT runs_finished_iff_not_running
        CHECK ((outcome = 'running') = (finished_at IS NULL))
);

CREATE UNIQUE INDEX runs_running_queue_key
    ON wsdb.runs (queue_key)
    WHERE outcome = 'running' AND queue_key IS NOT NULL;

-- One row per workspace a run selected. Rows are inserted as `not_reached`
-- when the run starts (so the selection survives a crash) and overwritten by
-- the runner that handled the workspace.
CREATE TABLE wsdb.run_workspaces (
    run_id           bigint   NOT NULL REFERENCES wsdb.runs (id) ON DELETE CASCADE,
    workspace_id     text     NOT NULL,
    runner_id        text,
    status           text     NOT NULL
        CONSTRAINT run_workspaces_status_known
        CHECK (status IN ('applied', 'up_to_date', 'rolled_back', 'baselined',
                          'repaired', 'provisioned', 'failed', 'locked',
                          'unreachable', 'skipped', 'not_reached')),
    version_before   bigint   CHECK (version_before > 0),
    version_after    bigint   CHECK (version_after > 0),
    -- Versions whose scripts this run executed on the workspace, in execution
    -- order: up scripts for `migrate`, down scripts for `rollback`.
    applied_versions bigint[] NOT NULL DEFAULT '{}',
    -- One line, written by wsdb, never a secret.
    error            text,
    started_at       timestamptz,
    finished_at      timestamptz,
    duration_ms      bigint   CHECK (duration_ms >= 0),
    recorded_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, workspace_id)
);

-- "Which runs touched workspace X", newest first.
CREATE INDEX run_workspaces_by_workspace
    ON wsdb.run_workspaces (workspace_id, run_id DESC);

-- Last known schema version of every workspace, for `status --all --cached`.
CREATE TABLE wsdb.workspace_versions (
    workspace_id text        PRIMARY KEY,
    -- NULL: no migration applied yet.
    version      bigint      CHECK (version > 0),
    state        text        NOT NULL
        CONSTRAINT workspace_versions_state_known
        CHECK (state IN ('up_to_date', 'pending', 'drift', 'ahead', 'failed')),
    checked_at   timestamptz NOT NULL,
    run_id       bigint      REFERENCES wsdb.runs (id) ON DELETE SET NULL
);

-- The work queue of cooperative runners: one claim per workspace of a run.
-- A runner takes the next pending (or lease-expired) claim with
-- `FOR UPDATE SKIP LOCKED`; `attempts` fences a runner whose lease was taken
-- over, even when a restarted runner reuses the same runner id.
CREATE TABLE wsdb.claims (
    run_id           bigint      NOT NULL REFERENCES wsdb.runs (id) ON DELETE CASCADE,
    workspace_id     text        NOT NULL,
    -- Enqueue order: claims are handed out in the order of the selection.
    seq              bigint      GENERATED ALWAYS AS IDENTITY,
    state            text        NOT NULL DEFAULT 'pending'
        CONSTRAINT claims_state_known
        CHECK (state IN ('pending', 'claimed', 'done')),
    runner_id        text,
    lease_expires_at timestamptz,
    attempts         integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    claimed_at       timestamptz,
    done_at          timestamptz,
    PRIMARY KEY (run_id, workspace_id),
    CONSTRAINT claims_claimed_has_lease
        CHECK (state <> 'claimed' OR (runner_id IS NOT NULL AND lease_expires_at IS NOT NULL))
);

CREATE INDEX claims_open
    ON wsdb.claims (run_id, seq)
    WHERE state <> 'done';
