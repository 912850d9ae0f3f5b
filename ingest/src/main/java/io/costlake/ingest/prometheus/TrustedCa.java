package io.costlake.ingest.prometheus;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.costlake.ingest.openmetrics.MetricsInputException;

/**
 * An SSLContext that trusts exactly the CA certificates of a PEM file, as {@code curl --cacert} does: the
 * usual case is a cluster-internal CA that the JVM's trust store does not know.
 */
final class TrustedCa {
    private TrustedCa() {}

    static SSLContext sslContext(Path pemFile) {
        requireNonNull(pemFile, "pemFile is null");
        try (InputStream in = Files.newInputStream(pemFile)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new MetricsInputException("no certificate in CA file " + pemFile);
            }
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                trusted.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (NoSuchFileException e) {
            throw new MetricsInputException("CA certificate file not found: " + pemFile);
        } catch (IOException | GeneralSecurityException e) {
            throw new MetricsInputException("cannot read CA certificate file " + pemFile + ": " + e.getMessage(), e);
        }
    }
}
