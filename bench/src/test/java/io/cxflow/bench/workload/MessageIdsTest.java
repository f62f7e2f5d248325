package io.cxflow.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessageIdsTest {

    @Test
    void shouldWriteADistinctIdOfTheSameLengthOverEachPlaceholder() {
        String json =
                "{\"a\":\"" + MessageIds.PLACEHOLDER + "\",\"b\":\"~~\",\"c\":\"" + MessageIds.PLACEHOLDER + "\"}";
        byte[] template = json.getBytes(StandardCharsets.UTF_8);
        int[] offsets = MessageIds.placeholderOffsets(template);
        MessageIds ids = new MessageIds(0xcafe, 255);

        byte[] first = template.clone();
        long sequence = ids.fill(first, offsets);
        byte[] second = template.clone();
        ids.fill(second, offsets);

        assertThat(offsets).hasSize(2);
        assertThat(sequence).isEqualTo(255);
        assertThat(new String(first, StandardCharsets.UTF_8))
                .isEqualTo("{\"a\":\"0000cafe00000000000000ff\",\"b\":\"~~\",\"c\":\"0000cafe0000000000000100\"}");
        assertThat(new String(second, StandardCharsets.UTF_8))
                .contains("0000cafe0000000000000101")
                .contains("0000cafe0000000000000102");
        assertThat(ids.nextId()).isEqualTo("0000cafe0000000000000103");
    }
}
