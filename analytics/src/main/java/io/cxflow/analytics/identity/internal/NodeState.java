package io.cxflow.analytics.identity.internal;

import java.util.Map;
import java.util.TreeMap;

/**
 * One identifier in the identity graph: the customer of its group ({@code null} while it is in no
 * group), whether its connected links ever broke a limit, and every identifier it was seen with.
 */
public final class NodeState {

    /** One neighbour: the smallest order the pair was seen in, and whether an alias linked them. */
    public record Neighbour(LinkOrder order, boolean alias) {}

    private final String key;
    private String customerId;
    private boolean conflicted;
    private boolean routed;
    private final TreeMap<String, Neighbour> neighbours;

    public NodeState(
            String key, String customerId, boolean conflicted, boolean routed, Map<String, Neighbour> neighbours) {
        this.key = key;
        this.customerId = customerId;
        this.conflicted = conflicted;
        this.routed = routed;
        this.neighbours = new TreeMap<>(neighbours);
    }

    public static NodeState fresh(String key) {
        return new NodeState(key, null, false, false, Map.of());
    }

    public String key() {
        return key;
    }

    public String customerId() {
        return customerId;
    }

    public void customerId(String id) {
        this.customerId = id;
    }

    public boolean conflicted() {
        return conflicted;
    }

    public void conflicted(boolean value) {
        this.conflicted = value;
    }

    /** Whether events were routed by this identifier (it is the routing id of a link). */
    public boolean routed() {
        return routed;
    }

    public void routed(boolean value) {
        this.routed = value;
    }

    /**
     * Whether a customer id may be derived from this identifier: it was seen in an event (as routing id
     * or next to one), not only named as an alias' previous id.
     */
    public boolean anchorEligible() {
        if (routed) {
            return true;
        }
        for (Neighbour neighbour : neighbours.values()) {
            if (!neighbour.alias()) {
                return true;
            }
        }
        return false;
    }

    public Map<String, Neighbour> neighbours() {
        return neighbours;
    }

    /**
     * Records a link to {@code other}; the pair keeps its smallest order and is an alias once any alias
     * linked it.
     *
     * @return whether anything changed
     */
    public boolean link(String other, LinkOrder order, boolean alias) {
        Neighbour known = neighbours.get(other);
        if (known == null) {
            neighbours.put(other, new Neighbour(order, alias));
            return true;
        }
        LinkOrder smallest = order.before(known.order()) ? order : known.order();
        boolean anyAlias = alias || known.alias();
        if (smallest.equals(known.order()) && anyAlias == known.alias()) {
            return false;
        }
        neighbours.put(other, new Neighbour(smallest, anyAlias));
        return true;
    }

    /** The customer this identifier belongs to now: its group's, else its own for a routing id. */
    public String effectiveCustomer() {
        if (customerId != null) {
            return customerId;
        }
        return IdentifierKeys.isRouting(key) ? IdentifierKeys.ownCustomer(key) : null;
    }
}
