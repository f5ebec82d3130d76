-- What a proposer's answer cost, and the answer itself when it could not be used (an agent error is recorded
-- as a REJECTED proposal that keeps the model's raw answer for review). People and strategies spend nothing.
alter table proposal add column raw_answer text;
alter table proposal add column tokens_in  bigint           not null default 0;
alter table proposal add column tokens_out bigint           not null default 0;
alter table proposal add column cost_usd   double precision not null default 0;
