-- What the experiment page and the morning summary read, served by indexes rather than by scanning every run
-- of the experiment: bench/ (history) measured those scans at 20-50 ms each with 100,000 runs.

-- The runs table sorted by start or end, either way, runs that have not started or finished last (as
-- RunsQuery orders them).
create index run_by_experiment_finished on run (experiment_id, finished_at desc nulls last, id desc);
create index run_by_experiment_started on run (experiment_id, started_at desc nulls last, id desc);
create index run_by_experiment_finished_asc on run (experiment_id, finished_at asc nulls last, id desc);
create index run_by_experiment_started_asc on run (experiment_id, started_at asc nulls last, id desc);

-- The morning summary: runs queued since the loop started, the baseline's runs, the kept runs.
create index run_by_experiment_queued on run (experiment_id, queued_at);
create index run_baselines on run (experiment_id) where kind = 'BASELINE';
create index run_kept on run (experiment_id, finished_at) where verdict = 'KEEP';

-- The morning summary's token and cost totals since the loop started.
create index proposal_by_experiment_created on proposal (experiment_id, created_at);
