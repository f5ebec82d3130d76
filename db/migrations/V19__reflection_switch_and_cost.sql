-- Issue 18: the LLM researcher at GPU speed.
-- A loop may be started without reflections (its model is then asked only for proposals).
alter table research_loop add column reflect boolean not null default true;
-- What reflecting on a run cost (a call on several runs is shared out evenly among them); the proposal's share is
-- on its proposal. Prompt tokens the provider read from its prompt cache are counted apart (tokens_cached).
alter table run add column reflection_tokens_in  bigint           not null default 0;
alter table run add column reflection_tokens_out bigint           not null default 0;
alter table run add column reflection_cost_usd   double precision not null default 0;
alter table run add column reflection_tokens_cached bigint        not null default 0;
alter table proposal add column tokens_cached    bigint           not null default 0;
