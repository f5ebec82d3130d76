-- Metric points are the one table written by the thousand rows a second. Its foreign key to run cost a trigger
-- call, an index lookup and a row lock per point (bench/: ingest). Only the server writes points, for runs it
-- supervises, and runs are never deleted, so the reference cannot dangle; the primary key (run_id, seq) still
-- refuses a point stored twice.
alter table metric_point drop constraint metric_point_run_id_fkey;
