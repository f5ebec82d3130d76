-- Issue 12: a loop whose proposer keeps failing backs off and, after too many failures in a row, pauses itself;
-- its calls to a model are counted per hour; it can end at a spend of tokens or money.
alter table research_loop add column max_cost_usd          double precision; -- stop condition, US dollars
alter table research_loop add column max_tokens            bigint;           -- stop condition, prompt + answer tokens
-- The breaker: failed proposer calls in a row (rejected proposals, agent errors) and when the next one may be made.
alter table research_loop add column proposer_failures     integer not null default 0;
alter table research_loop add column proposer_rests_until  timestamptz;
-- The hourly ceiling on calls to a model: the hour that began at calls_hour_start and the calls made in it. Kept on
-- the row so that a restart does not hand out a fresh hour.
alter table research_loop add column calls_hour_start      timestamptz;
alter table research_loop add column calls_in_hour         integer not null default 0;
