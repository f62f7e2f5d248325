package io.cxflow.collector.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReaderTest {

    @Test
    void shouldReadQuotedCellsWithCommasQuotesAndLineBreaks() throws Exception {
        String csv = "id,name,note\r\n"
                + "1,\"Rossi, Anna\",\"said \"\"hi\"\"\"\r\n"
                + "\r\n"
                + "2,Bob,\"two\nlines\"\n"
                + "3,,last";

        List<Record> records = readAll(csv, 1000);

        assertThat(records).extracting(Record::line).containsExactly(1L, 2L, 4L, 6L);
        assertThat(records.get(0).values()).containsExactly("id", "name", "note");
        assertThat(records.get(1).values()).containsExactly("1", "Rossi, Anna", "said \"hi\"");
        assertThat(records.get(1).raw()).isEqualTo("1,\"Rossi, Anna\",\"said \"\"hi\"\"\"");
        assertThat(records.get(2).values()).containsExactly("2", "Bob", "two\nlines");
        assertThat(records.get(2).raw()).isEqualTo("2,Bob,\"two\nlines\"");
        assertThat(records.get(3).values()).containsExactly("3", "", "last");
    }

    @Test
    void shouldReportATooLongRecordAndGoOnWithTheNext() throws Exception {
        CsvReader reader = new CsvReader(new StringReader("a,b\n" + "x".repeat(50) + ",y\nc,d\n"), 20);

        assertThat(reader.next().values()).containsExactly("a", "b");
        assertThatThrownBy(reader::next)
                .isInstanceOfSatisfying(CsvReader.RecordTooLongException.class, e -> assertThat(e.line())
                        .isEqualTo(2));
        Record next = reader.next();
        assertThat(next.values()).containsExactly("c", "d");
        assertThat(next.line()).isEqualTo(3);
        assertThat(reader.next()).isNull();
    }

    @Test
    void shouldRefuseAnUnclosedQuote() {
        CsvReader reader = new CsvReader(new StringReader("a,\"b\nc,d\n"), 1000);

        assertThatThrownBy(reader::next).isInstanceOf(CsvReader.MalformedCsvException.class);
    }

    private static List<Record> readAll(String csv, int max) throws Exception {
        CsvReader reader = new CsvReader(new StringReader(csv), max);
        List<Record> out = new ArrayList<>();
        Record r;
        while ((r = reader.next()) != null) {
            out.add(r);
        }
        return out;
    }
}
