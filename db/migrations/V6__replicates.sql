-- A replicate run repeats an earlier run (same commit, same parameters) to tell a real gain from noise.
alter table run add column replicate_of bigint references run (id);
create index run_by_replicate_of on run (replicate_of) where replicate_of is not null;

-- Why a run got its verdict: the improvement and the margin it had to beat.
alter table run add column verdict_reason text;
