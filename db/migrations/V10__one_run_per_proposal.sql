-- Exactly once: a proposal has at most one run of kind PROPOSAL. Approve only moves PROPOSED to APPROVED and
-- the proposal's @Version refuses a concurrent second approval; this index is the database's own guard behind
-- both. A LOST run does not count: crash recovery queues the proposal once more (the one documented re-queue),
-- and that second run is the only other one it may ever have. Baselines and replicates are other kinds.
create unique index run_one_per_proposal on run (proposal_id) where kind = 'PROPOSAL' and status <> 'LOST';
