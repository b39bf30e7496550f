package io.dynamicrag.query.usage;

import io.dynamicrag.query.usage.UsageViews.ExportRow;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class UsageCsvTest {

    @Test
    void neutralisesEveryFormulaPrefixInTextCells() {
        assertThat(UsageCsv.text("=1+1")).isEqualTo("'=1+1");
        assertThat(UsageCsv.text("+SUM(A1)")).isEqualTo("'+SUM(A1)");
        assertThat(UsageCsv.text("-2+3")).isEqualTo("'-2+3");
        assertThat(UsageCsv.text("@cmd")).isEqualTo("'@cmd");
        assertThat(UsageCsv.text("\tx")).isEqualTo("'\tx");
        assertThat(UsageCsv.text("Travel diary")).isEqualTo("Travel diary");
        assertThat(UsageCsv.text(null)).isEmpty();
    }

    @Test
    void writesOneRfc4180RecordWithPlainNumbers() {
        ExportRow row = new ExportRow(Instant.parse("2026-11-25T10:15:30Z"), "embedding_tokens", 1234,
                new BigDecimal("0.00002000"), "22222222-2222-2222-2222-222222222222", "Notes, \"draft\"",
                Map.of("version", "1", "model", "text-embedding-3-small"));
        assertThat(UsageCsv.row(row)).isEqualTo("2026-11-25T10:15:30Z,embedding_tokens,1234,0.00002,"
                + "22222222-2222-2222-2222-222222222222,\"Notes, \"\"draft\"\"\","
                + "model=text-embedding-3-small; version=1\r\n");
        assertThat(UsageCsv.header()).isEqualTo("\uFEFFtimestamp,metric_type,metric_value,cost_usd,document_id,"
                + "document_title,details\r\n");
    }

    @Test
    void writesMoneyWithoutExponentOrTrailingZeros() {
        assertThat(PlainDecimalSerializer.plain(new BigDecimal("0E-8"))).isEqualTo("0");
        assertThat(PlainDecimalSerializer.plain(new BigDecimal("0.00000001"))).isEqualTo("0.00000001");
        assertThat(PlainDecimalSerializer.plain(new BigDecimal("1.50000000"))).isEqualTo("1.5");
        assertThat(PlainDecimalSerializer.plain(new BigDecimal("1E+3"))).isEqualTo("1000");
    }
}
