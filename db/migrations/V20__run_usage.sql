-- Issue 17 part 3: what a run used of its slot while it trained, sampled by the server every few seconds
-- (nvidia-smi for a GPU run, /proc for the process tree of a run without a GPU). The server keeps running
-- aggregates in memory and writes them here now and then and when the run ends; usage_samples lets a restarted
-- server go on averaging where the last write left off. The Run entity does not map these columns, so saving a
-- run never overwrites them.
alter table run add column usage_kind           text;    -- GPU (utilisation and memory of its GPUs) or CPU (its processes)
alter table run add column usage_samples        integer; -- samples behind the aggregates
alter table run add column usage_util_avg       real;    -- percent: of its GPUs (mean over them), or of one core
alter table run add column usage_util_peak      real;    -- percent, the highest sample
alter table run add column usage_memory_peak_mb real;    -- MiB: GPU memory used on its GPUs, or resident memory
alter table run add constraint run_usage_kind_known check (usage_kind is null or usage_kind in ('GPU', 'CPU'));
