package io.cxflow.analytics.segment.api;

import io.cxflow.analytics.segment.SegmentCondition;
import io.cxflow.platform.http.HttpProblem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Answers the segment questions that span every partition — sizes, members, preview — on any instance:
 * this instance's part from its own tasks ({@link LocalSegmentReads}) and one concurrent call per other
 * instance hosting the store ({@link SegmentPeers}), then checks that the parts cover every partition
 * exactly once ({@link Coverage}). Sizes and members are refused (503) rather than answered from an
 * incomplete or overlapping view; a preview is answered with what was counted in time and flagged
 * partial.
 */
final class SegmentCluster {

    /** Extra time allowed for a peer's future beyond its own request timeout. */
    private static final Duration JOIN_MARGIN = Duration.ofSeconds(1);

    private final SegmentNode node;
    private final LocalSegmentReads local;
    private final SegmentPeers peers;
    private final Clock clock;

    SegmentCluster(SegmentNode node, LocalSegmentReads local, SegmentPeers peers, Clock clock) {
        this.node = Objects.requireNonNull(node, "node");
        this.local = Objects.requireNonNull(local, "local");
        this.peers = Objects.requireNonNull(peers, "peers");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The result of a preview.
     *
     * @param total the counts over every instance that answered in time
     * @param partial whether some profiles were not evaluated (deadline, unreachable instance, rebalance)
     * @param reasons why it is partial
     * @param took how long it took
     */
    record Preview(PreviewAnswer total, boolean partial, List<String> reasons, Duration took) {}

    /** Members of every segment with a size entry, over all partitions. */
    Map<String, Long> sizes() {
        int partitions = node.partitionCount(SegmentStores.SIZES);
        List<CompletableFuture<SizeAnswer>> asked =
                node.peers(SegmentStores.SIZES).stream().map(peers::sizes).toList();
        List<SizeAnswer> answers = new ArrayList<>();
        answers.add(local.sizes());
        for (CompletableFuture<SizeAnswer> future : asked) {
            answers.add(join(future, SegmentPeers.REQUEST_TIMEOUT));
        }
        requireCoverage(
                "segment sizes",
                partitions,
                answers.stream().map(SizeAnswer::partitions).toList());
        return SizeAnswer.sum(answers);
    }

    /** One page of a segment's members, over all partitions. */
    MembersAnswer.Page members(String segmentId, String cursor, int limit) {
        int partitions = node.partitionCount(SegmentStores.MEMBERSHIPS);
        List<CompletableFuture<MembersAnswer>> asked = node.peers(SegmentStores.MEMBERSHIPS).stream()
                .map(peer -> peers.members(peer, segmentId, cursor, limit))
                .toList();
        List<MembersAnswer> answers = new ArrayList<>();
        answers.add(local.members(segmentId, cursor, limit));
        for (CompletableFuture<MembersAnswer> future : asked) {
            answers.add(join(future, SegmentPeers.REQUEST_TIMEOUT));
        }
        requireCoverage(
                "the members of segment " + segmentId,
                partitions,
                answers.stream().map(MembersAnswer::partitions).toList());
        return MembersAnswer.merge(answers, limit);
    }

    /** Evaluates a condition on the profiles of every instance, for at most {@code budget}. */
    Preview preview(SegmentCondition condition, Duration budget) {
        Instant start = clock.instant();
        int partitions = node.partitionCount(SegmentStores.PROFILES);
        List<HostInfo> hosts = node.peers(SegmentStores.PROFILES);
        List<CompletableFuture<PreviewAnswer>> asked = hosts.stream()
                .map(peer -> peers.preview(peer, condition.expression(), budget))
                .toList();
        List<PreviewAnswer> answers = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        answers.add(local.preview(condition, start.plus(budget)));
        for (CompletableFuture<PreviewAnswer> future : asked) {
            try {
                answers.add(join(future, budget.plus(SegmentPeers.REQUEST_TIMEOUT)));
            } catch (HttpProblem e) {
                reasons.add(e.getMessage());
            }
        }
        PreviewAnswer total = PreviewAnswer.sum(answers);
        if (!total.complete()) {
            reasons.add("the scan did not finish within " + budget.toMillis() + " ms");
        }
        Optional<String> coverage = Coverage.problem(
                partitions, answers.stream().map(PreviewAnswer::partitions).toList());
        if (coverage.isPresent() && total.complete() && reasons.isEmpty()) {
            reasons.add(coverage.get());
        }
        return new Preview(total, !reasons.isEmpty(), reasons, Duration.between(start, clock.instant()));
    }

    private static void requireCoverage(String what, int partitions, List<Set<Integer>> answered) {
        Optional<String> problem = Coverage.problem(partitions, answered);
        if (problem.isPresent()) {
            throw SegmentNode.unavailable(what + " cannot be counted now: " + problem.get());
        }
    }

    /** The peer's answer, or the {@link HttpProblem} it failed with. */
    private static <T> T join(CompletableFuture<T> future, Duration timeout) {
        try {
            return future.get(timeout.plus(JOIN_MARGIN).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HttpProblem problem) {
                throw problem;
            }
            throw SegmentNode.unavailable("another instance could not be asked: " + e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw SegmentNode.unavailable("another instance did not answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SegmentNode.unavailable("interrupted while asking another instance");
        }
    }
}
