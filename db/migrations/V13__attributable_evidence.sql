-- Issue 13: a question names what it varies, a run records what it isolates, so that only attributable evidence
-- closes a question.
-- factors: the parameter names a question's change varies, and 'code' for a patch, against the best run it was
-- proposed on; kind: ONE_FACTOR (exactly one factor: its runs are evidence about it) or EXPLORATION (several at
-- once: evidence about a region, never about one factor). Questions from before are explorations: what they
-- varied was not recorded.
alter table question add column factors text[] not null default '{}';
alter table question add column kind    text   not null default 'EXPLORATION';
-- base_run_id: the best run whose parameters (and commit) the run was merged onto when it was queued;
-- varied: the parameter names that differ from that base, and 'code' when it carries a patch. Null for runs
-- from before, whose base was not recorded.
alter table run add column base_run_id bigint references run (id);
alter table run add column varied      text[];
