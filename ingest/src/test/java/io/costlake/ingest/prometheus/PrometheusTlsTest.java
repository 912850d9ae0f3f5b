package io.costlake.ingest.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.costlake.ingest.openmetrics.MetricsInputException;
import io.costlake.ingest.testing.TestSpark;

/** A Prometheus behind TLS with a private CA: trusted through the CA certificate file, refused without it. */
class PrometheusTlsTest {
    private static final LocalDate DAY = LocalDate.of(2024, 3, 1);
    private static final String METRIC = "kube_node_status_capacity";
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path dir;

    private static SSLContext serverTls;
    private static Path caPem;

    /** A self-signed certificate for 127.0.0.1 made by the JDK's keytool; it is its own CA. */
    @BeforeAll
    static void makeACertificate() throws Exception {
        Path keystore = dir.resolve("server.p12");
        caPem = dir.resolve("ca.pem");
        keytool("-genkeypair", "-alias", "stub", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                keystore.toString(), "-storepass", "changeit", "-keypass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "stub", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-file", caPem.toString());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, PASSWORD);
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keyManagers.getKeyManagers(), null, null);
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("keytool.log").toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
        assertThat(process.exitValue()).as("keytool %s: %s", args[0],
                Files.readString(dir.resolve("keytool.log"))).isZero();
    }

    private static StubPrometheus httpsStub() throws Exception {
        long dayStart = DAY.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        return new StubPrometheus("/api/v1/query_range", serverTls, (n, exchange, self) ->
                StubPrometheus.respond(exchange, 200, StubPrometheus.matrix(METRIC, dayStart)));
    }

    private static PrometheusSource source(PrometheusConfig config) {
        return new PrometheusSource(config, TestSpark.session(), dir.resolve("staging").toUri().toString(), false);
    }

    @Test
    void a_server_certificate_signed_by_the_configured_ca_is_trusted() throws Exception {
        try (StubPrometheus stub = httpsStub()) {
            PrometheusConfig config = PrometheusConfig.of(stub.baseUrl()).withCaCertificate(caPem);

            assertThat(source(config).read(DAY, Set.of(METRIC)).count()).isEqualTo(2);
        }
    }

    @Test
    void without_the_ca_the_handshake_fails_at_once_with_a_hint() throws Exception {
        try (StubPrometheus stub = httpsStub()) {
            PrometheusConfig config = PrometheusConfig.of(stub.baseUrl())
                    .withRetries(Duration.ofSeconds(5), 3, Duration.ofSeconds(1));

            assertThatThrownBy(() -> source(config).read(DAY, Set.of(METRIC)))
                    .isInstanceOf(MetricsInputException.class)
                    .hasMessageContaining("TLS handshake")
                    .hasMessageContaining("CA certificate file");
            assertThat(stub.requests()).isEmpty();
        }
    }

    @Test
    void a_ca_file_without_a_certificate_is_refused_with_its_name() throws Exception {
        Path notPem = Files.writeString(dir.resolve("empty.pem"), "");

        assertThatThrownBy(() -> source(PrometheusConfig.of(java.net.URI.create("https://127.0.0.1:1"))
                .withCaCertificate(notPem)).read(DAY, Set.of(METRIC)))
                .isInstanceOf(MetricsInputException.class)
                .hasMessageContaining("empty.pem");
    }
}
