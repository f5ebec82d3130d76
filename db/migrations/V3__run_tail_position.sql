-- How far a run's log and metrics file have been turned into metric points, stored with the points in one
-- transaction, so that supervision taken up again after a crash delivers each point exactly once.
alter table run add column log_offset bigint not null default 0;
alter table run add column metrics_offset bigint not null default 0;
