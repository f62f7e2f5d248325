package io.cxflow.analytics.segment.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether the answers of the instances cover every partition of a store exactly once. During a
 * rebalance a partition can be hosted by nobody (restoring, moving) or, for a moment, be answered by two
 * instances with different views of the assignment; a sum or a listing built from such answers would be
 * wrong, so the caller refuses it (503) or flags it (preview).
 */
final class Coverage {

    private Coverage() {}

    /**
     * @param partitionCount the partitions of the store
     * @param answered the partitions each instance answered for
     * @return what is wrong, or empty when every partition {@code 0..partitionCount-1} was answered once
     */
    static Optional<String> problem(int partitionCount, Collection<? extends Collection<Integer>> answered) {
        Set<Integer> seen = new HashSet<>();
        Set<Integer> twice = new TreeSet<>();
        for (Collection<Integer> partitions : answered) {
            for (int partition : partitions) {
                if (!seen.add(partition)) {
                    twice.add(partition);
                }
            }
        }
        List<Integer> missing = new ArrayList<>();
        for (int partition = 0; partition < partitionCount; partition++) {
            if (!seen.contains(partition)) {
                missing.add(partition);
            }
        }
        if (missing.isEmpty() && twice.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder reason = new StringBuilder();
        if (!missing.isEmpty()) {
            reason.append("partitions ")
                    .append(missing)
                    .append(" of ")
                    .append(partitionCount)
                    .append(" are not hosted by any running task now");
        }
        if (!twice.isEmpty()) {
            reason.append(reason.isEmpty() ? "" : "; ")
                    .append("partitions ")
                    .append(twice)
                    .append(" were answered by two instances");
        }
        return Optional.of(reason.append(" (rebalancing or restoring)").toString());
    }
}
