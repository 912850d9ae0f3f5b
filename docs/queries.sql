-- Ten questions FinOps people ask, answered from the costlake schema (search_path = costlake).
-- Each query is separated by a line "-- Q<n>: <question>"; the test suite runs every one of them.
-- Replace the literal dates and names with your own.

-- Q1: What did each team (cost pool) cost last month?
select cost_pool, total_cost, gpu_cost, idle_cost
from v_cost_pool_monthly
where month = date '2026-03-01'
order by total_cost desc;

-- Q2: Which ten namespaces cost the most this month, and what share of the cluster is that?
select namespace, cost_pool, total_cost,
       round(100 * total_cost / sum(total_cost) over (partition by cluster), 2) as share_percent
from v_namespace_cost_monthly
where month = date '2026-03-01'
order by total_cost desc
limit 10;

-- Q3: Which namespaces grew the most month over month?
select cluster, namespace, month, previous_total_cost, total_cost, change, change_percent
from v_namespace_cost_month_over_month
where previous_total_cost is not null
order by change desc
limit 10;

-- Q4: How much of the cluster's cost was idle (allocated to nobody) per day?
select cluster, day,
       sum(total_cost) filter (where namespace = '__idle__') as idle_cost,
       sum(total_cost) as total_cost,
       round(100 * sum(total_cost) filter (where namespace = '__idle__') / nullif(sum(total_cost), 0), 2) as idle_percent
from namespace_cost_daily
group by cluster, day
order by cluster, day;

-- Q5: Which GPUs wasted the most money sitting idle while held by a pod?
select cluster, node, gpu_uuid, gpu_model, episodes, idle_hours, wasted_cost, held_by
from v_top_idle_gpus
limit 10;

-- Q6: What does storage cost per TB-month, per namespace?
select namespace, month, storage_cost, tb_months, cost_per_tb_month
from v_storage_cost_per_tb_month
order by storage_cost desc;

-- Q7: Which workloads reserve the most they do not use (right-sizing candidates)?
select namespace, workload_kind, workload_name, total_cost, cpu_efficiency, ram_efficiency, unused_cost
from v_workload_efficiency
order by unused_cost desc
limit 10;

-- Q8: What does each node type cost per day, and how much of it is idle?
select day, instance_type, count(*) as nodes, sum(total_cost) as total_cost, sum(idle_cost) as idle_cost
from node_cost_daily
group by day, instance_type
order by day, total_cost desc;

-- Q9: Did every nightly run succeed, balance its books and keep its input clean?
select cluster, day, status, duration, samples_read, samples_quarantined, conservation_relative_delta, message
from v_run_history
where current or status <> 'succeeded'
order by day desc, cluster;

-- Q10: What did one workload cost per day, with its CPU request and usage (showback for one team)?
select day, namespace, workload_name, total_cost, cpu_request_core_hours, cpu_usage_core_hours, cpu_efficiency
from workload_cost_daily
where namespace = 'shop' and workload_name = 'web'
order by day;
