-- The metrics of each run (Micrometer meters of the nightly job): one row per meter, beside the cost_run row they
-- measure, so run history in SQL shows how long each step took and how much it handled.

create table cost_run_metric (
    run_id  bigint           not null references cost_run (run_id) on delete cascade,
    name    varchar          not null,
    tags    varchar          not null default '',
    value   double precision not null,
    unit    varchar          not null default '',
    primary key (run_id, name, tags)
);
comment on table cost_run_metric is 'Metrics of a run (step durations, rows, peak heap, samples, cost totals), as recorded with Micrometer and pushed to a Prometheus Pushgateway.';
comment on column cost_run_metric.run_id is 'The cost_run measured; step metrics of a job that attributed several clusters appear under each cluster''s run.';
comment on column cost_run_metric.name is 'Micrometer meter name, e.g. costlake.step.duration (costlake_step_duration_seconds in Prometheus).';
comment on column cost_run_metric.tags is 'The meter''s tags as key=value pairs sorted by key and joined by commas, e.g. status=COMPLETED,step=ingest; empty when it has none.';
comment on column cost_run_metric.value is 'The value: a gauge''s value, or a timer''s total time in seconds.';
comment on column cost_run_metric.unit is 'Base unit of the value (seconds, bytes, rows, samples, the price book currency), empty when it has none.';
