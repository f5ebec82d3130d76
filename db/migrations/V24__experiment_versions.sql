-- An experiment whose search space or command changed is registered again as a new version (a new experiment
-- row, named <name>-v<n>); previous_id points at the version it came from. Earlier runs stay with the earlier
-- row and so keep the specification they ran under. Edits of brief, budget and noise change the row in place.
alter table experiment add column previous_id bigint references experiment (id);
create index experiment_by_previous on experiment (previous_id) where previous_id is not null;
