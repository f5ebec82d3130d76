-- Several Nightshift servers on one PostgreSQL (README: Several servers on one database).

-- One row per server that ever started on this database: its id is kept in its home (NIGHTSHIFT_HOME/server-id),
-- so a server that restarts on the same home is the same server. A server whose heartbeat is older than
-- nightshift.cluster.server-timeout is dead to the others.
create table server (
    id           text        primary key,
    host         text        not null,
    home         text        not null,
    started_at   timestamptz not null,
    heartbeat_at timestamptz not null
);

-- The server that claimed the run: only it can read the run's processes and files.
alter table run add column server_id text;
create index run_active_by_server on run (server_id) where status in ('STARTING', 'RUNNING');

-- The server that drives the loop, until lease_until; renewed at every step, taken by compare-and-set once expired.
alter table research_loop add column owner_server_id text;
alter table research_loop add column lease_until timestamptz;

-- The end of each run's log, shipped by the server that runs it, so that every server shows every run's log.
create table run_log_tail (
    run_id     bigint      primary key,
    server_id  text        not null,
    size       bigint      not null,   -- bytes in run.log when shipped
    tail       bytea       not null,   -- its last bytes, at most nightshift.cluster.log-tail
    shipped_at timestamptz not null
);
