-- The experiment page's runs table sorted by objective, best first for a maximised objective: descending with
-- the runs that have no objective last. Ascending is served by run_by_experiment_objective.
create index run_by_experiment_objective_desc on run (experiment_id, objective desc nulls last, id desc);
