-- The experiment page's questions tree and dead-end log list each question's newest runs with their deltas: the
-- proposals of each question shown are read newest first from this index, a few each, never all of them.
create index proposal_by_question on proposal (question_id, id desc);
