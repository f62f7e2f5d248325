package io.cxflow.analytics.segment.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxflow.platform.json.Json;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Merging the parts of several instances: coverage, sizes, member pages, previews. */
class SegmentAnswersTest {

    @Test
    void shouldAcceptPartsThatCoverEveryPartitionOnce() {
        assertThat(Coverage.problem(4, List.of(Set.of(0, 2), Set.of(1, 3)))).isEmpty();
        assertThat(Coverage.problem(1, List.of(Set.of(0), Set.of()))).isEmpty();
    }

    @Test
    void shouldNameMissingAndDoublyAnsweredPartitions() {
        assertThat(Coverage.problem(4, List.of(Set.of(0, 1), Set.of(1))))
                .hasValueSatisfying(reason -> assertThat(reason)
                        .contains("partitions [2, 3] of 4 are not hosted")
                        .contains("partitions [1] were answered by two instances"));
    }

    @Test
    void shouldSumSizesOverInstances() {
        Map<String, Long> total = SizeAnswer.sum(List.of(
                new SizeAnswer(Set.of(0), Map.of("a", 2L, "b", 1L)), new SizeAnswer(Set.of(1), Map.of("a", 3L))));

        assertThat(total).isEqualTo(Map.of("a", 5L, "b", 1L));
    }

    @Test
    void shouldMergeMemberPagesInOrderAndPointAtTheNextPage() {
        MembersAnswer first = new MembersAnswer(Set.of(0), List.of("c1", "c4"), true);
        MembersAnswer second = new MembersAnswer(Set.of(1), List.of("c2", "c3"), false);

        MembersAnswer.Page page = MembersAnswer.merge(List.of(first, second), 2);

        assertThat(page.members()).containsExactly("c1", "c2");
        assertThat(page.nextCursor()).isEqualTo("c2");
    }

    @Test
    void shouldEndOnTheLastPage() {
        MembersAnswer.Page page = MembersAnswer.merge(
                List.of(
                        new MembersAnswer(Set.of(0), List.of("c1"), false),
                        new MembersAnswer(Set.of(1), List.of(), false)),
                2);

        assertThat(page.members()).containsExactly("c1");
        assertThat(page.nextCursor()).isNull();
    }

    @Test
    void shouldPageOnWhenAnInstanceHadMoreThanItSent() {
        MembersAnswer.Page page = MembersAnswer.merge(List.of(new MembersAnswer(Set.of(0), List.of("c1"), true)), 1);

        assertThat(page.nextCursor()).isEqualTo("c1");
    }

    @Test
    void shouldAddPreviewsAndKeepTheSmallestSample() {
        PreviewAnswer a = new PreviewAnswer(
                Set.of(0),
                true,
                20,
                12,
                1,
                List.of("c01", "c03", "c05", "c07", "c09", "c11", "c13", "c15", "c17", "c19"));
        PreviewAnswer b = new PreviewAnswer(Set.of(1), false, 5, 2, 0, List.of("c02", "c04"));

        PreviewAnswer total = PreviewAnswer.sum(List.of(a, b));

        assertThat(total.partitions()).containsExactlyInAnyOrder(0, 1);
        assertThat(total.complete()).isFalse();
        assertThat(total.scanned()).isEqualTo(25);
        assertThat(total.matched()).isEqualTo(14);
        assertThat(total.errors()).isEqualTo(1);
        assertThat(total.sample())
                .containsExactly("c01", "c02", "c03", "c04", "c05", "c07", "c09", "c11", "c13", "c15");
    }

    @Test
    void shouldReadBackWhatAnInstanceWrites() throws Exception {
        SizeAnswer sizes = new SizeAnswer(Set.of(3, 1), Map.of("a", 7L));
        MembersAnswer members = new MembersAnswer(Set.of(2), List.of("c1", "c2"), true);
        PreviewAnswer preview = new PreviewAnswer(Set.of(0), true, 3, 1, 0, List.of("c1"));

        assertThat(SizeAnswer.fromJson(reparse(sizes.toJson().toString()))).isEqualTo(sizes);
        assertThat(MembersAnswer.fromJson(reparse(members.toJson().toString()))).isEqualTo(members);
        assertThat(PreviewAnswer.fromJson(reparse(preview.toJson().toString()))).isEqualTo(preview);
    }

    @Test
    void shouldRefuseAnswersThatAreNotAnswers() {
        assertThatThrownBy(() -> SizeAnswer.fromJson(reparse("{\"sizes\":{}}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("partitions");
        assertThatThrownBy(() -> MembersAnswer.fromJson(reparse("{\"partitions\":[0],\"members\":[1],\"more\":false}")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SizeAnswer.fromJson(reparse("{\"partitions\":[0],\"sizes\":{\"a\":\"x\"}}")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static com.fasterxml.jackson.databind.JsonNode reparse(String json) throws Exception {
        return Json.mapper().readTree(json);
    }
}
