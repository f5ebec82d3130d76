-- The baseline (the unmodified code at default parameters, run as many times as the experiment's noise
-- replicates) is proposed like any change, so that under a manual policy nothing runs before a person approves.
alter table proposal add column baseline boolean not null default false;
