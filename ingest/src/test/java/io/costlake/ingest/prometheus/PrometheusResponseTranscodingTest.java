package io.costlake.ingest.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.costlake.ingest.openmetrics.MetricSample;
import io.costlake.ingest.openmetrics.OpenMetricsLineParser;

/** query_range JSON → OpenMetrics lines that the file parser reads back to the same samples. */
class PrometheusResponseTranscodingTest {
    private static String transcode(String json) throws Exception {
        StringWriter out = new StringWriter();
        QueryRangeResponse.transcode(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), out,
                "queried_metric");
        return out.toString();
    }

    @Test
    void every_point_becomes_one_line_with_the_series_labels_and_the_point_timestamp() throws Exception {
        String lines = transcode("""
                {"status":"success","data":{"resultType":"matrix","result":[
                  {"metric":{"__name__":"kube_pod_info","namespace":"shop","pod":"api-1"},
                   "values":[[1709251200,"1"],[1709251260.5,"1"]]},
                  {"metric":{"__name__":"kube_pod_info","namespace":"shop","pod":"api-2"},"values":[[1709251200,"1"]]}
                ]}}""");

        assertThat(lines).isEqualTo("""
                kube_pod_info{namespace="shop",pod="api-1"} 1 1709251200
                kube_pod_info{namespace="shop",pod="api-1"} 1 1709251260.5
                kube_pod_info{namespace="shop",pod="api-2"} 1 1709251200
                """);
    }

    @Test
    void label_values_with_quotes_backslashes_and_newlines_survive_the_round_trip() throws Exception {
        String lines = transcode("""
                {"status":"success","data":{"resultType":"matrix","result":[
                  {"metric":{"__name__":"kube_pod_labels","label_note":"say \\"hi\\"\\\\now\\nplease"},
                   "values":[[1709251200,"1"]]}]}}""");

        MetricSample sample = new OpenMetricsLineParser().parse(lines.strip()).orElseThrow();
        assertThat(sample.labels()).isEqualTo(Map.of("label_note", "say \"hi\"\\now\nplease"));
        assertThat(sample.timestampMillis()).isEqualTo(1_709_251_200_000L);
    }

    @Test
    void special_values_are_copied_verbatim_so_the_quarantine_sees_them() throws Exception {
        String lines = transcode("""
                {"status":"success","data":{"resultType":"matrix","result":[
                  {"metric":{"__name__":"DCGM_FI_DEV_GPU_UTIL"},"values":[[1,"NaN"],[2,"+Inf"],[3,"-1.5e+03"]]}]}}""");

        assertThat(lines).isEqualTo("DCGM_FI_DEV_GPU_UTIL NaN 1\nDCGM_FI_DEV_GPU_UTIL +Inf 2\n"
                + "DCGM_FI_DEV_GPU_UTIL -1.5e+03 3\n");
    }

    @Test
    void values_before_the_metric_and_a_missing_name_still_give_the_queried_series() throws Exception {
        String lines = transcode("""
                {"data":{"result":[{"values":[[1709251200,"2"]],"metric":{"node":"n1"}}],"resultType":"matrix"},
                 "status":"success","warnings":["partial response"]}""");

        assertThat(lines).isEqualTo("queried_metric{node=\"n1\"} 2 1709251200\n");
    }

    @Test
    void counts_series_points_and_warnings() throws Exception {
        QueryRangeResponse.Transcoded transcoded = QueryRangeResponse.transcode(new ByteArrayInputStream("""
                {"status":"success","warnings":["store unavailable"],"data":{"resultType":"matrix","result":[
                  {"metric":{"a":"1"},"values":[[1,"1"],[2,"2"]]},{"metric":{"a":"2"},"values":[[1,"1"]]}]}}"""
                .getBytes(StandardCharsets.UTF_8)), new StringWriter(), "m");

        assertThat(transcoded.series()).isEqualTo(2);
        assertThat(transcoded.samples()).isEqualTo(3);
        assertThat(transcoded.warnings()).containsExactly("store unavailable");
    }

    @Test
    void an_error_status_is_a_failed_query_with_the_server_message() {
        assertThatThrownBy(() -> transcode("""
                {"status":"error","errorType":"execution","error":"query processing would load too many samples"}"""))
                .isInstanceOf(QueryRangeResponse.QueryFailedException.class)
                .hasMessage("query failed: execution: query processing would load too many samples");
    }

    @Test
    void a_truncated_body_is_an_io_error_so_that_it_is_retried() {
        assertThatThrownBy(() -> transcode("""
                {"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1"]"""))
                .isInstanceOf(IOException.class);
    }

    @Test
    void an_instant_vector_is_not_what_query_range_returns() {
        assertThatThrownBy(() -> transcode("""
                {"status":"success","data":{"resultType":"vector","result":[]}}"""))
                .isInstanceOf(QueryRangeResponse.QueryFailedException.class)
                .hasMessageContaining("expected a matrix");
    }
}
