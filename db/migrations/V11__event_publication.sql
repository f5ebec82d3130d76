-- Spring Modulith's event publication registry (schema v2 of spring-modulith-events-jdbc 2.0, PostgreSQL).
-- A follow-up of a committed fact (queue an approved proposal, judge a finished run, move nightshift/best) is a
-- row here, written in the same transaction as the fact; the listener marks it COMPLETED when it is done.
-- Rows not completed are resubmitted at the next start, and failed ones by the reconciler's tick.
-- Modulith's own schema initialisation is off: Flyway owns every table.
create table event_publication (
	id                     uuid                     not null primary key,
	listener_id            text                     not null,
	event_type             text                     not null,
	serialized_event       text                     not null,
	publication_date       timestamp with time zone not null,
	completion_date        timestamp with time zone,
	status                 text,
	completion_attempts    int,
	last_resubmission_date timestamp with time zone
);

-- Completion looks a publication up by its serialized event; cleaning up goes by completion date.
create index event_publication_serialized_event_hash_idx on event_publication using hash (serialized_event);
create index event_publication_by_completion_date_idx on event_publication (completion_date);

-- What the reconciler looks for on every tick, found without reading every run or proposal.
create index run_without_verdict on run (experiment_id) where status = 'SUCCEEDED' and verdict is null;
create index proposal_approved on proposal (experiment_id) where status = 'APPROVED';
