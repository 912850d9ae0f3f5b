package io.costlake.ingest.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceBookReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsOnDemandAndSpotPricesOfInstanceTypes() throws IOException {
        PriceBook book = read("""
                instanceTypes:
                  m5.2xlarge: {hourly: 0.384, spotHourly: 0.1152}
                  p4d.24xlarge: {hourly: 32.7726}
                  c7g.large: {spotHourly: 0.03}
                """);

        assertThat(book.instanceTypeHourly()).isEqualTo(Map.of("m5.2xlarge", 0.384, "p4d.24xlarge", 32.7726));
        assertThat(book.instanceTypeSpotHourly()).isEqualTo(Map.of("m5.2xlarge", 0.1152, "c7g.large", 0.03));
    }

    @Test
    void aPriceBookWithoutSpotPricesReadsAsBefore() throws IOException {
        PriceBook book = read("""
                currency: EUR
                defaults: {cpuCoreHour: 0.03}
                instanceTypes: {m5.2xlarge: {hourly: 0.384}}
                gpuModels: {"NVIDIA A100-SXM4-80GB": {hourly: 2.50}}
                storageClasses: {gp3: {gibMonth: 0.08}}
                """);

        assertThat(book.instanceTypeHourly()).isEqualTo(Map.of("m5.2xlarge", 0.384));
        assertThat(book.instanceTypeSpotHourly()).isEmpty();
        assertThat(book.gpuModelHourly()).isEqualTo(Map.of("NVIDIA A100-SXM4-80GB", 2.50));
        assertThat(book.storageClassGiBMonth()).isEqualTo(Map.of("gp3", 0.08));
        assertThat(book.defaults().cpuCoreHour()).isEqualTo(0.03);
    }

    @Test
    void namesFileKeyAndProblemOfABadSpotPrice() throws IOException {
        Path file = write("instanceTypes: {m5.2xlarge: {hourly: 0.384, spotHourly: cheap}}\n");

        assertThatThrownBy(() -> new PriceBookReader().read(file))
                .isInstanceOf(PriceBookException.class)
                .hasMessage(file + ": instanceTypes.m5.2xlarge.spotHourly: expected a number, got 'cheap'");
    }

    @Test
    void rejectsUnknownKeysAndEntriesWithoutAnyPrice() throws IOException {
        Path typo = write("instanceTypes: {m5.2xlarge: {hourly: 0.384, spot: 0.1}}\n");
        assertThatThrownBy(() -> new PriceBookReader().read(typo))
                .hasMessage(typo + ": instanceTypes.m5.2xlarge.spot: unknown key (expected hourly, spotHourly)");

        Path empty = write("instanceTypes: {m5.2xlarge: {}}\n");
        assertThatThrownBy(() -> new PriceBookReader().read(empty))
                .hasMessage(empty + ": instanceTypes.m5.2xlarge: missing 'hourly' or 'spotHourly'");

        Path storage = write("storageClasses: {gp3: {hourly: 0.1}}\n");
        assertThatThrownBy(() -> new PriceBookReader().read(storage))
                .hasMessage(storage + ": storageClasses.gp3: missing 'gibMonth'");
    }

    private PriceBook read(String yaml) throws IOException {
        return new PriceBookReader().read(write(yaml));
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "prices", ".yaml"), yaml);
    }
}
