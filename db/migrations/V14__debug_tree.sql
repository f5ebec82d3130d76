-- Issue 13, "debug, don't drop": a proposal may be the fix of a proposal whose patch crashed (its parent), at most
-- two levels below the first attempt. debug_asked_at marks a crashed proposal whose fix the loop has asked for, so
-- that each crash is debugged once, across restarts (the loop finds crashes not yet debugged in this table).
alter table proposal add column parent_id      bigint references proposal (id);
alter table proposal add column debug_asked_at timestamptz;
create index proposal_by_parent on proposal (parent_id) where parent_id is not null;
