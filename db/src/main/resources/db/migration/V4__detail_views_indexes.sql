-- Container-hour detail (kept for costlake.retention.detail-days), indexes that serve the views, and the views
-- behind the common questions (docs/queries.sql).

create table container_cost_hourly (
    run_id                  bigint         not null references cost_run (run_id) on delete cascade,
    cluster                 varchar        not null,
    day                     date           not null,
    hour                    timestamptz    not null,
    node                    varchar        not null,
    namespace               varchar        not null,
    pod                     varchar        not null,
    container               varchar        not null,
    workload_kind           varchar,
    workload_name           varchar,
    cpu_cost                numeric(20, 6) not null,
    ram_cost                numeric(20, 6) not null,
    gpu_cost                numeric(20, 6) not null,
    total_cost              numeric(20, 6) not null,
    cpu_request_core_hours  double precision not null,
    cpu_usage_core_hours    double precision not null,
    cpu_usage_max           double precision not null,
    ram_request_gib_hours   double precision not null,
    ram_usage_gib_hours     double precision not null,
    ram_usage_max_gib       double precision not null,
    gpu_hours               double precision not null,
    samples                 bigint not null
);
comment on table container_cost_hourly is 'Cost and usage per container and hour: the detail behind the daily tables. Rows older than costlake.retention.detail-days are deleted; daily aggregates are kept.';
comment on column container_cost_hourly.cpu_usage_max is 'Highest per-sample CPU usage (cores) within the hour, for right-sizing.';

/* [jooq ignore start] */
create index container_cost_hourly_day_brin on container_cost_hourly using brin (day);
create index container_cost_hourly_cluster_day on container_cost_hourly (cluster, day);
create index namespace_cost_daily_day_brin on namespace_cost_daily using brin (day);
create index workload_cost_daily_day_brin on workload_cost_daily using brin (day);
create index node_cost_daily_day_brin on node_cost_daily using brin (day);
create index cost_pool_daily_day_brin on cost_pool_daily using brin (day);
create index storage_cost_daily_day_brin on storage_cost_daily using brin (day);
create index idle_gpu_episode_wasted on idle_gpu_episode (wasted_cost desc);

create view v_namespace_cost_monthly as
select cluster, date_trunc('month', day)::date as month, namespace, cost_pool,
       sum(cpu_cost) as cpu_cost, sum(ram_cost) as ram_cost, sum(gpu_cost) as gpu_cost,
       sum(storage_cost) as storage_cost, sum(idle_cost) as idle_cost, sum(shared_cost) as shared_cost,
       sum(total_cost) as total_cost, count(*) as days
from namespace_cost_daily
group by cluster, date_trunc('month', day), namespace, cost_pool;
comment on view v_namespace_cost_monthly is 'Cost per namespace and calendar month.';

create view v_cost_pool_monthly as
select cluster, date_trunc('month', day)::date as month, cost_pool,
       sum(cpu_cost) as cpu_cost, sum(ram_cost) as ram_cost, sum(gpu_cost) as gpu_cost,
       sum(storage_cost) as storage_cost, sum(idle_cost) as idle_cost, sum(shared_cost) as shared_cost,
       sum(total_cost) as total_cost, count(distinct day) as days
from cost_pool_daily
group by cluster, date_trunc('month', day), cost_pool;
comment on view v_cost_pool_monthly is 'Cost per cost pool (team, product) and calendar month: the chargeback figure.';

create view v_workload_cost_monthly as
select cluster, date_trunc('month', day)::date as month, namespace, workload_kind, workload_name, cost_pool,
       sum(cpu_cost) as cpu_cost, sum(ram_cost) as ram_cost, sum(gpu_cost) as gpu_cost, sum(total_cost) as total_cost,
       sum(cpu_usage_core_hours) / nullif(sum(cpu_billable_core_hours), 0) as cpu_efficiency,
       sum(ram_usage_gib_hours) / nullif(sum(ram_billable_gib_hours), 0) as ram_efficiency
from workload_cost_daily
group by cluster, date_trunc('month', day), namespace, workload_kind, workload_name, cost_pool;
comment on view v_workload_cost_monthly is 'Cost and efficiency per workload and calendar month.';

create view v_namespace_cost_month_over_month as
select cluster, month, namespace, cost_pool, total_cost,
       lag(total_cost) over w as previous_total_cost,
       total_cost - lag(total_cost) over w as change,
       round(100 * (total_cost - lag(total_cost) over w) / nullif(lag(total_cost) over w, 0), 2) as change_percent
from v_namespace_cost_monthly
window w as (partition by cluster, namespace order by month);
comment on view v_namespace_cost_month_over_month is 'Monthly namespace cost with the previous month and the change (absolute and percent). The previous month is the previous month with data.';

create view v_top_idle_gpus as
select cluster, node, gpu_uuid, max(gpu_model) as gpu_model, count(*) as episodes, sum(hours) as idle_hours,
       sum(wasted_cost) as wasted_cost, min(start_at) as first_idle_at, max(end_at) as last_idle_at,
       string_agg(distinct namespace || '/' || pod, ', ') as held_by
from idle_gpu_episode
group by cluster, node, gpu_uuid
order by sum(wasted_cost) desc;
comment on view v_top_idle_gpus is 'GPUs by money wasted in idle episodes (held by a pod, utilisation below the threshold).';

create view v_storage_cost_per_tb_month as
select cluster, date_trunc('month', day)::date as month, namespace,
       sum(storage_cost) as storage_cost,
       sum(gib * hours) / 1024.0 / 730.0 as tb_months,
       sum(storage_cost) / nullif(sum(gib * hours) / 1024.0 / 730.0, 0) as cost_per_tb_month
from storage_cost_daily
group by cluster, date_trunc('month', day), namespace;
comment on view v_storage_cost_per_tb_month is 'Storage cost per namespace and month, and its unit cost per TB-month (1 TB-month = 1024 GiB for 730 hours).';

create view v_workload_efficiency as
select cluster, namespace, workload_kind, workload_name, cost_pool, min(day) as first_day, max(day) as last_day,
       sum(total_cost) as total_cost,
       sum(cpu_usage_core_hours) / nullif(sum(cpu_billable_core_hours), 0) as cpu_efficiency,
       sum(ram_usage_gib_hours) / nullif(sum(ram_billable_gib_hours), 0) as ram_efficiency,
       sum(cpu_cost) * (1 - coalesce(sum(cpu_usage_core_hours) / nullif(sum(cpu_billable_core_hours), 0), 1))
         + sum(ram_cost) * (1 - coalesce(sum(ram_usage_gib_hours) / nullif(sum(ram_billable_gib_hours), 0), 1))
         as unused_cost
from workload_cost_daily
group by cluster, namespace, workload_kind, workload_name, cost_pool;
comment on view v_workload_efficiency is 'Efficiency league table: usage / max(request, usage) per workload, and the cost of what was reserved but not used.';

create view v_run_history as
select run_id, cluster, day, status, started_at, finished_at, finished_at - started_at as duration, source,
       samples_read, samples_loaded, samples_quarantined, samples_ignored, samples_other_day,
       node_cost, volume_cost, namespace_cost, conservation_delta, conservation_relative_delta, message,
       run_id = max(run_id) filter (where status = 'succeeded') over (partition by cluster, day) as current
from cost_run;
comment on view v_run_history is 'Every run with its duration, counts and audit; current marks the run whose results are in the daily tables.';
/* [jooq ignore stop] */
