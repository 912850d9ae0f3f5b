-- Idle-GPU findings (DESIGN §5) and GPU capacity held by no pod.

create table idle_gpu_episode (
    run_id          bigint         not null references cost_run (run_id) on delete cascade,
    cluster         varchar        not null,
    day             date           not null,
    node            varchar        not null,
    gpu_uuid        varchar        not null,
    gpu_model       varchar,
    mig_profile     varchar,
    mig_instance    varchar        not null default '',
    namespace       varchar        not null,
    pod             varchar        not null,
    workload_kind   varchar,
    workload_name   varchar,
    start_at        timestamptz    not null,
    end_at          timestamptz    not null,
    hours           integer        not null,
    mean_util       double precision not null,
    max_util        double precision not null,
    mem_used_mib    double precision,
    wasted_cost     numeric(20, 6) not null,
    recommendation  varchar        not null,
    primary key (cluster, gpu_uuid, mig_instance, pod, start_at)
);
create index idle_gpu_episode_cluster_day on idle_gpu_episode (cluster, day);
comment on table idle_gpu_episode is 'Runs of at least minIdleHours consecutive hours in which one pod held a GPU (or MIG instance) the whole hour and its mean utilisation stayed below idleUtilPercent.';
comment on column idle_gpu_episode.day is 'Day of the run that last wrote the episode (its last day); an episode crossing midnight is extended, not duplicated.';
comment on column idle_gpu_episode.start_at is 'First idle hour (hour boundary, inclusive).';
comment on column idle_gpu_episode.end_at is 'End of the last idle hour (hour boundary, exclusive).';
comment on column idle_gpu_episode.wasted_cost is 'GPU cost of the episode''s hours at the node''s GPU rate (the slice''s fraction for MIG).';

create table gpu_unallocated_daily (
    run_id            bigint         not null references cost_run (run_id) on delete cascade,
    cluster           varchar        not null,
    day               date           not null,
    node              varchar        not null,
    gpu_uuid          varchar        not null,
    gpu_model         varchar,
    unallocated_hours double precision not null,
    unallocated_cost  numeric(20, 6) not null,
    primary key (cluster, day, node, gpu_uuid)
);
comment on table gpu_unallocated_daily is 'GPU hours on a node held by no pod, per GPU and day, with their cost (part of the node''s idle cost).';
