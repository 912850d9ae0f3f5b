-- costlake reporting store (DESIGN §6). Money is numeric(20,6), days are date, instants timestamptz.
-- Writes of a (cluster, day) replace that day's rows in one transaction; every row points at the run that wrote it.

create table cost_run (
    run_id               bigserial primary key,
    cluster              varchar        not null,
    day                  date        not null,
    status               varchar        not null check (status in ('running', 'succeeded', 'failed')),
    started_at           timestamptz not null,
    finished_at          timestamptz,
    source               varchar,
    samples_read         bigint      not null default 0,
    samples_loaded       bigint      not null default 0,
    samples_quarantined  bigint      not null default 0,
    samples_ignored      bigint      not null default 0,
    samples_other_day    bigint      not null default 0,
    container_samples    bigint      not null default 0,
    unpriced_samples     bigint      not null default 0,
    node_cost            numeric(20, 6),
    volume_cost          numeric(20, 6),
    namespace_cost       numeric(20, 6),
    conservation_delta   double precision,
    conservation_relative_delta double precision,
    message              varchar
);
create index cost_run_cluster_day on cost_run (cluster, day);
comment on table cost_run is 'One row per attribution of a (cluster, day): status, input counts, quarantine, totals and the conservation audit.';
comment on column cost_run.samples_read is 'Samples and lines read from the source for this day; = loaded + quarantined + ignored + other_day.';
comment on column cost_run.samples_quarantined is 'Malformed lines and impossible samples; details in quarantined_input.';
comment on column cost_run.samples_ignored is 'Samples of metric families costlake does not use (and cAdvisor pod/cgroup aggregates).';
comment on column cost_run.unpriced_samples is 'Container samples on nodes with no capacity metrics: not billable, counted here.';
comment on column cost_run.conservation_delta is 'Sum of namespace costs minus (node costs + volume costs), before rounding; must be within 1e-9 relative.';

create table quarantined_input (
    run_id   bigint not null references cost_run (run_id) on delete cascade,
    cluster  varchar   not null,
    day      date   not null,
    source   varchar   not null,
    line     bigint,
    reason   varchar   not null,
    raw      varchar
);
create index quarantined_input_cluster_day on quarantined_input (cluster, day);
comment on table quarantined_input is 'Input lines and samples rejected by validation, with the file (or series) and line, and why.';

create table namespace_cost_daily (
    run_id                  bigint         not null references cost_run (run_id) on delete cascade,
    cluster                 varchar           not null,
    day                     date           not null,
    namespace               varchar           not null,
    cost_pool               varchar           not null,
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
    cpu_core_hours          double precision not null,
    ram_request_gib_hours   double precision not null,
    ram_usage_gib_hours     double precision not null,
    ram_billable_gib_hours  double precision not null,
    ram_gib_hours           double precision not null,
    gpu_hours               double precision not null,
    storage_gib_hours       double precision not null,
    cpu_efficiency          double precision,
    ram_efficiency          double precision,
    pods                    bigint not null,
    primary key (cluster, day, namespace)
);
comment on table namespace_cost_daily is 'Cost per namespace and day, including __idle__ (unallocated node capacity) and __unmounted__ (volumes with no claim).';
comment on column namespace_cost_daily.cost_pool is 'Team / product the namespace belongs to: config mapping, else the namespace label cost-pool, else unassigned.';
comment on column namespace_cost_daily.idle_cost is 'Idle node cost shared to this namespace (option shareIdle); 0 otherwise.';
comment on column namespace_cost_daily.shared_cost is 'Cost received from shared namespaces (positive), or given away by a shared namespace (negative).';
comment on column namespace_cost_daily.total_cost is 'cpu + ram + gpu + storage + idle + shared.';
comment on column namespace_cost_daily.cpu_billable_core_hours is 'Sum over samples of max(request, usage), before scaling to node capacity.';
comment on column namespace_cost_daily.cpu_efficiency is 'cpu_usage_core_hours / cpu_billable_core_hours (usage / max(request, usage)).';

create table workload_cost_daily (
    run_id                  bigint         not null references cost_run (run_id) on delete cascade,
    cluster                 varchar           not null,
    day                     date           not null,
    namespace               varchar           not null,
    workload_kind           varchar           not null,
    workload_name           varchar           not null,
    cost_pool               varchar           not null,
    cpu_cost                numeric(20, 6) not null,
    ram_cost                numeric(20, 6) not null,
    gpu_cost                numeric(20, 6) not null,
    total_cost              numeric(20, 6) not null,
    cpu_request_core_hours  double precision not null,
    cpu_usage_core_hours    double precision not null,
    cpu_billable_core_hours double precision not null,
    cpu_usage_max           double precision not null,
    ram_request_gib_hours   double precision not null,
    ram_usage_gib_hours     double precision not null,
    ram_billable_gib_hours  double precision not null,
    ram_usage_max_gib       double precision not null,
    gpu_hours               double precision not null,
    cpu_efficiency          double precision,
    ram_efficiency          double precision,
    pods                    bigint not null,
    primary key (cluster, day, namespace, workload_kind, workload_name)
);
comment on table workload_cost_daily is 'Cost per workload (Deployment, StatefulSet, Job, DaemonSet, bare Pod) and day, from kube_pod_info ownership.';

create table node_cost_daily (
    run_id          bigint         not null references cost_run (run_id) on delete cascade,
    cluster         varchar           not null,
    day             date           not null,
    node            varchar           not null,
    instance_type   varchar,
    gpu_model       varchar,
    price_source    varchar           not null,
    cpu_cores       double precision not null,
    ram_gib         double precision not null,
    gpus            double precision not null,
    hours           double precision not null,
    hourly_price    numeric(20, 6) not null,
    cpu_rate        double precision not null,
    ram_rate        double precision not null,
    gpu_rate        double precision not null,
    cpu_cost        numeric(20, 6) not null,
    ram_cost        numeric(20, 6) not null,
    gpu_cost        numeric(20, 6) not null,
    total_cost      numeric(20, 6) not null,
    idle_cost       numeric(20, 6) not null,
    cpu_idle_cost   numeric(20, 6) not null,
    ram_idle_cost   numeric(20, 6) not null,
    gpu_idle_cost   numeric(20, 6) not null,
    primary key (cluster, day, node)
);
comment on table node_cost_daily is 'Cost per node and day: hours present x hourly price, split into CPU / RAM / GPU rates, and the idle part.';
comment on column node_cost_daily.price_source is 'price_book (instance type), opencost (node_total_hourly_cost metric) or default_rates.';

create table cost_pool_daily (
    run_id        bigint         not null references cost_run (run_id) on delete cascade,
    cluster       varchar           not null,
    day           date           not null,
    cost_pool     varchar           not null,
    cpu_cost      numeric(20, 6) not null,
    ram_cost      numeric(20, 6) not null,
    gpu_cost      numeric(20, 6) not null,
    storage_cost  numeric(20, 6) not null,
    idle_cost     numeric(20, 6) not null,
    shared_cost   numeric(20, 6) not null,
    total_cost    numeric(20, 6) not null,
    storage_gib_hours double precision not null,
    namespaces    bigint not null,
    primary key (cluster, day, cost_pool)
);
comment on table cost_pool_daily is 'Cost per cost pool (team, product) and day: the sum of its namespaces.';

create table storage_cost_daily (
    run_id                bigint         not null references cost_run (run_id) on delete cascade,
    cluster               varchar           not null,
    day                   date           not null,
    persistentvolume      varchar           not null,
    storageclass          varchar,
    namespace             varchar           not null,
    persistentvolumeclaim varchar,
    gib                   double precision not null,
    hours                 double precision not null,
    gib_month_rate        double precision not null,
    storage_cost          numeric(20, 6) not null,
    primary key (cluster, day, persistentvolume)
);
comment on table storage_cost_daily is 'Cost per persistent volume and day: GiB x storage-class rate / 730 per hour, charged to the bound claim''s namespace or __unmounted__.';
