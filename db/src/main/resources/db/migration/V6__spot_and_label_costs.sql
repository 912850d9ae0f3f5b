-- Spot capacity and where prices came from (nodes and volumes), and costs by a label of choice
-- (costlake.model.aggregate-labels).

alter table node_cost_daily add column capacity_type varchar;
comment on column node_cost_daily.capacity_type is 'spot or on-demand, from the node labels karpenter.sh/capacity-type, eks.amazonaws.com/capacityType, cloud.google.com/gke-spot, cloud.google.com/gke-preemptible or kubernetes.azure.com/scalesetpriority (none: on-demand); null in rows written before V6.';
comment on column node_cost_daily.price_source is 'opencost (OpenCost''s node_*_hourly_cost metrics, which win), price_book_spot (spotHourly of a spot node''s instance type), price_book (hourly of the instance type, also for a spot node whose type has no spot price) or default_rates.';

alter table storage_cost_daily add column price_source varchar;
comment on column storage_cost_daily.price_source is 'opencost (pv_hourly_cost metric of the volume), price_book (its storage class) or default_rates; null in rows written before V6.';

create table label_cost_daily (
    run_id                  bigint         not null references cost_run (run_id) on delete cascade,
    cluster                 varchar        not null,
    day                     date           not null,
    label_key               varchar        not null,
    label_value             varchar        not null,
    cpu_cost                numeric(20, 6) not null,
    ram_cost                numeric(20, 6) not null,
    gpu_cost                numeric(20, 6) not null,
    storage_cost            numeric(20, 6) not null,
    idle_cost               numeric(20, 6) not null,
    shared_cost             numeric(20, 6) not null,
    total_cost              numeric(20, 6) not null,
    cpu_request_core_hours  double precision not null,
    cpu_usage_core_hours    double precision not null,
    cpu_billable_core_hours double precision not null,
    ram_request_gib_hours   double precision not null,
    ram_usage_gib_hours     double precision not null,
    ram_billable_gib_hours  double precision not null,
    gpu_hours               double precision not null,
    gpu_usage_hours         double precision,
    cpu_efficiency          double precision,
    ram_efficiency          double precision,
    gpu_efficiency          double precision,
    pods                    bigint         not null,
    namespaces              bigint         not null,
    primary key (cluster, day, label_key, label_value)
);
comment on table label_cost_daily is 'Cost per value of each label of costlake.model.aggregate-labels and day (Kubecost''s aggregate by label). For every label the values add up to the cluster''s total, like the namespaces do.';
comment on column label_cost_daily.run_id is 'The run that wrote the row.';
comment on column label_cost_daily.cluster is 'Cluster name.';
comment on column label_cost_daily.day is 'UTC day.';
comment on column label_cost_daily.label_key is 'The label as configured, e.g. team or app.kubernetes.io/name.';
comment on column label_cost_daily.label_value is 'The pod''s value of the label, else its namespace''s, else __unlabelled__; __idle__ and __unmounted__ are values of their own.';
comment on column label_cost_daily.cpu_cost is 'CPU cost of the pods with this value.';
comment on column label_cost_daily.ram_cost is 'Memory cost of the pods with this value.';
comment on column label_cost_daily.gpu_cost is 'GPU cost of the pods with this value.';
comment on column label_cost_daily.storage_cost is 'Storage of their namespaces, split over the namespace''s values in proportion to their container cost.';
comment on column label_cost_daily.idle_cost is 'Idle node cost shared to their namespaces (option shareIdle), split the same way.';
comment on column label_cost_daily.shared_cost is 'Cost received from (or given away by) shared namespaces, split the same way.';
comment on column label_cost_daily.total_cost is 'cpu + ram + gpu + storage + idle + shared.';
comment on column label_cost_daily.cpu_request_core_hours is 'Requested CPU cores x hours.';
comment on column label_cost_daily.cpu_usage_core_hours is 'Used CPU cores x hours.';
comment on column label_cost_daily.cpu_billable_core_hours is 'Sum over samples of max(request, usage) core-hours, before scaling to node capacity.';
comment on column label_cost_daily.ram_request_gib_hours is 'Requested memory GiB x hours.';
comment on column label_cost_daily.ram_usage_gib_hours is 'Working-set memory GiB x hours.';
comment on column label_cost_daily.ram_billable_gib_hours is 'Sum over samples of max(request, usage) GiB-hours, before scaling.';
comment on column label_cost_daily.gpu_hours is 'Billed GPU-hours (fractions for MIG and time-slicing).';
comment on column label_cost_daily.gpu_usage_hours is 'GPU-hours used: dcgm-exporter utilisation of the GPUs (MIG slices, time-sliced shares) the pods held, per sample interval; empty when the exporter reported none of them.';
comment on column label_cost_daily.cpu_efficiency is 'cpu_usage_core_hours / cpu_billable_core_hours (usage / max(request, usage)).';
comment on column label_cost_daily.ram_efficiency is 'ram_usage_gib_hours / ram_billable_gib_hours.';
comment on column label_cost_daily.gpu_efficiency is 'gpu_usage_hours / max(gpu_hours, gpu_usage_hours).';
comment on column label_cost_daily.pods is 'Distinct pods with this value that day.';
comment on column label_cost_daily.namespaces is 'Namespaces contributing to this value that day.';

/* [jooq ignore start] */
create index label_cost_daily_day_brin on label_cost_daily using brin (day);

create view v_label_cost_monthly as
select cluster, date_trunc('month', day)::date as month, label_key, label_value,
       sum(cpu_cost) as cpu_cost, sum(ram_cost) as ram_cost, sum(gpu_cost) as gpu_cost,
       sum(storage_cost) as storage_cost, sum(idle_cost) as idle_cost, sum(shared_cost) as shared_cost,
       sum(total_cost) as total_cost,
       sum(cpu_usage_core_hours) / nullif(sum(cpu_billable_core_hours), 0) as cpu_efficiency,
       sum(ram_usage_gib_hours) / nullif(sum(ram_billable_gib_hours), 0) as ram_efficiency,
       sum(gpu_usage_hours) / nullif(greatest(sum(gpu_hours), sum(gpu_usage_hours)), 0) as gpu_efficiency,
       count(distinct day) as days
from label_cost_daily
group by cluster, date_trunc('month', day), label_key, label_value;
comment on view v_label_cost_monthly is 'Cost and efficiency per label value (e.g. team) and calendar month.';
/* [jooq ignore stop] */
