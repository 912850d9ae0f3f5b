package io.costlake.jobs.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The effective configuration: {@code costlake.yaml} (root key {@code costlake:}), overridden by
 * {@code COSTLAKE_*} environment variables, overridden by command-line flags. An environment variable is the
 * property in upper case with dots as underscores and dashes dropped (Spring Boot's relaxed binding):
 * {@code COSTLAKE_DB_URL} → {@code db.url}, {@code COSTLAKE_MODEL_STEPSECONDS} → {@code model.step-seconds}
 * (Spring Boot also accepts the dashes as underscores: {@code COSTLAKE_MODEL_STEP_SECONDS}).
 */
@ConfigurationProperties(prefix = "costlake")
public class CostlakeProperties {
    /** Cluster name for samples without a {@code cluster} label. */
    private String cluster = "default";
    /** Root of the Delta lake: a directory or any Hadoop URI (s3a://, abfss://, hdfs://). */
    private String lake = "costlake-data/lake";
    /** Directory for CSV / PDF reports. */
    private String out = "costlake-data/reports";
    /** Price book YAML; OpenCost's default rates when unset. */
    private String prices = "";
    /** OpenMetrics, CSV or Parquet file, or a directory of them, to ingest. */
    private String metrics = "";
    /** Prometheus-compatible base URL to ingest from. */
    private String prometheus = "";
    private final Db db = new Db();
    private final Spark spark = new Spark();
    private final Model model = new Model();
    private final Retention retention = new Retention();
    private final Schedule schedule = new Schedule();
    private final PrometheusClient prometheusClient = new PrometheusClient();
    private final IdleGpu idleGpu = new IdleGpu();
    /** {@code text} (default) or {@code json}: console log lines as one JSON object each (COSTLAKE_LOG_FORMAT). */
    private String logFormat = LogFormat.TEXT.configValue();
    private final Pushgateway pushgateway = new Pushgateway();
    private final Profile profile = new Profile();

    public String getCluster() {
        return cluster;
    }

    public void setCluster(String cluster) {
        this.cluster = cluster;
    }

    public String getLake() {
        return lake;
    }

    public void setLake(String lake) {
        this.lake = lake;
    }

    public String getOut() {
        return out;
    }

    public void setOut(String out) {
        this.out = out;
    }

    public String getPrices() {
        return prices;
    }

    public void setPrices(String prices) {
        this.prices = prices;
    }

    public String getMetrics() {
        return metrics;
    }

    public void setMetrics(String metrics) {
        this.metrics = metrics;
    }

    public String getPrometheus() {
        return prometheus;
    }

    public void setPrometheus(String prometheus) {
        this.prometheus = prometheus;
    }

    public Db getDb() {
        return db;
    }

    public Spark getSpark() {
        return spark;
    }

    public Model getModel() {
        return model;
    }

    public Retention getRetention() {
        return retention;
    }

    public Schedule getSchedule() {
        return schedule;
    }

    public PrometheusClient getPrometheusClient() {
        return prometheusClient;
    }

    public IdleGpu getIdleGpu() {
        return idleGpu;
    }

    /** Read before the context starts, by {@link LogFormat.EnvironmentSetup}; validated by {@link LogFormat#of}. */
    public String getLogFormat() {
        return logFormat;
    }

    public void setLogFormat(String logFormat) {
        this.logFormat = logFormat;
    }

    public Pushgateway getPushgateway() {
        return pushgateway;
    }

    public Profile getProfile() {
        return profile;
    }

    /**
     * Profiling of the nightly job's steps with async-profiler (what {@code costlake bench --profile} sets): a flame
     * graph per step and day. It samples this JVM: the driver, and with a local master the executors too.
     */
    public static class Profile {
        /** What to sample: cpu, wall, alloc, lock, itimer, ... (COSTLAKE_PROFILE_EVENT); empty: no profiling. */
        private String event = "";
        /** Directory of the flame graphs, {@code <day>-<step>.html} (COSTLAKE_PROFILE_DIR). */
        private String dir = "costlake-data/profiles";

        public String getEvent() {
            return event;
        }

        public void setEvent(String event) {
            this.event = event;
        }

        public String getDir() {
            return dir;
        }

        public void setDir(String dir) {
            this.dir = dir;
        }
    }

    /** Run metrics are always stored in cost_run_metric; also pushed to a Prometheus Pushgateway when a URL is set. */
    public static class Pushgateway {
        /** Base URL of a Pushgateway, http(s)://host:port (COSTLAKE_PUSHGATEWAY_URL); empty: no push. */
        private String url = "";

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }
    }

    /** Idle-GPU detection (DESIGN §5). */
    public static class IdleGpu {
        /** An hour is idle below this mean utilisation (percent). */
        private double idleUtilPercent = 5;
        /** An episode is at least this many consecutive idle hours. */
        private int minIdleHours = 2;
        /** Longer silences of a GPU's exporter end a pod's tenure of the GPU; default max(900, 2 × step). */
        private Integer maxGapSeconds;

        public double getIdleUtilPercent() {
            return idleUtilPercent;
        }

        public void setIdleUtilPercent(double idleUtilPercent) {
            this.idleUtilPercent = idleUtilPercent;
        }

        public int getMinIdleHours() {
            return minIdleHours;
        }

        public void setMinIdleHours(int minIdleHours) {
            this.minIdleHours = minIdleHours;
        }

        public Integer getMaxGapSeconds() {
            return maxGapSeconds;
        }

        public void setMaxGapSeconds(Integer maxGapSeconds) {
            this.maxGapSeconds = maxGapSeconds;
        }
    }

    /** How to talk to the Prometheus-compatible API given by {@code costlake.prometheus}. */
    public static class PrometheusClient {
        /** Bearer token (COSTLAKE_PROMETHEUSCLIENT_TOKEN or COSTLAKE_PROMETHEUS_CLIENT_TOKEN). */
        private String token = "";
        /** user:password for basic auth (COSTLAKE_PROMETHEUSCLIENT_BASICAUTH). */
        private String basicAuth = "";
        /** PEM file of a CA to trust. */
        private String ca = "";
        /** Tenant for Mimir / Cortex (X-Scope-OrgID). */
        private String tenant = "";
        private int parallelism = 4;
        private int timeoutSeconds = 60;
        private int retries = 4;

        public String getToken() {
            return token;
        }

        public void setToken(String token) {
            this.token = token;
        }

        public String getBasicAuth() {
            return basicAuth;
        }

        public void setBasicAuth(String basicAuth) {
            this.basicAuth = basicAuth;
        }

        public String getCa() {
            return ca;
        }

        public void setCa(String ca) {
            this.ca = ca;
        }

        public String getTenant() {
            return tenant;
        }

        public void setTenant(String tenant) {
            this.tenant = tenant;
        }

        public int getParallelism() {
            return parallelism;
        }

        public void setParallelism(int parallelism) {
            this.parallelism = parallelism;
        }

        public int getTimeoutSeconds() {
            return timeoutSeconds;
        }

        public void setTimeoutSeconds(int timeoutSeconds) {
            this.timeoutSeconds = timeoutSeconds;
        }

        public int getRetries() {
            return retries;
        }

        public void setRetries(int retries) {
            this.retries = retries;
        }
    }

    public static class Schedule {
        /** Spring cron: second minute hour day-of-month month day-of-week. */
        private String cron = "0 30 2 * * *";
        private String zone = "UTC";

        public String getCron() {
            return cron;
        }

        public void setCron(String cron) {
            this.cron = cron;
        }

        public String getZone() {
            return zone;
        }

        public void setZone(String zone) {
            this.zone = zone;
        }
    }

    public static class Retention {
        /** Days of container-hour detail kept in PostgreSQL (0 keeps everything); daily tables are always kept. */
        private int detailDays = 35;

        public int getDetailDays() {
            return detailDays;
        }

        public void setDetailDays(int detailDays) {
            this.detailDays = detailDays;
        }
    }

    public static class Db {
        /** JDBC URL; empty means embedded PostgreSQL (or, as root, the local server at 127.0.0.1:5432). */
        private String url = "";
        private String user = "postgres";
        private String password = "";
        /** Schema of the cost tables; Spring Batch's JobRepository lives in {@code costlake_batch}. */
        private String schema = "costlake";

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public String getUser() {
            return user;
        }

        public void setUser(String user) {
            this.user = user;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public String getSchema() {
            return schema;
        }

        public void setSchema(String schema) {
            this.schema = schema;
        }
    }

    public static class Spark {
        /** local[N], or a cluster such as spark://host:7077; under spark-submit, its --master wins. */
        private String master = "local[2]";
        /** Extra Spark settings (spark.executor.memory, spark.driver.host, ...); in YAML quote keys as "[spark.x]". */
        private Map<String, String> conf = new LinkedHashMap<>();

        public String getMaster() {
            return master;
        }

        public void setMaster(String master) {
            this.master = master;
        }

        public Map<String, String> getConf() {
            return conf;
        }

        public void setConf(Map<String, String> conf) {
            this.conf = conf;
        }
    }

    public static class Model {
        private int stepSeconds = 60;
        private boolean shareIdle = false;
        private List<String> sharedNamespaces = new ArrayList<>();
        /** {@code cost} (default) or {@code even}. */
        private String sharedWeighting = "cost";
        private String costPoolLabel = "cost-pool";
        private Map<String, String> costPools = new LinkedHashMap<>();
        /** Pod labels (namespace label as fallback) to report costs by, e.g. team, app. */
        private List<String> aggregateLabels = new ArrayList<>();

        public int getStepSeconds() {
            return stepSeconds;
        }

        public void setStepSeconds(int stepSeconds) {
            this.stepSeconds = stepSeconds;
        }

        public boolean isShareIdle() {
            return shareIdle;
        }

        public void setShareIdle(boolean shareIdle) {
            this.shareIdle = shareIdle;
        }

        public List<String> getSharedNamespaces() {
            return sharedNamespaces;
        }

        public void setSharedNamespaces(List<String> sharedNamespaces) {
            this.sharedNamespaces = sharedNamespaces;
        }

        public String getSharedWeighting() {
            return sharedWeighting;
        }

        public void setSharedWeighting(String sharedWeighting) {
            this.sharedWeighting = sharedWeighting;
        }

        public String getCostPoolLabel() {
            return costPoolLabel;
        }

        public void setCostPoolLabel(String costPoolLabel) {
            this.costPoolLabel = costPoolLabel;
        }

        public Map<String, String> getCostPools() {
            return costPools;
        }

        public void setCostPools(Map<String, String> costPools) {
            this.costPools = costPools;
        }

        public List<String> getAggregateLabels() {
            return aggregateLabels;
        }

        public void setAggregateLabels(List<String> aggregateLabels) {
            this.aggregateLabels = aggregateLabels;
        }
    }
}
