package io.cxflow.analytics.identity.internal;

import io.cxflow.analytics.AnalyticsMetrics;
import io.cxflow.analytics.identity.IdentitySettings;
import io.cxflow.avro.IdentityLink;
import io.cxflow.avro.LinkKind;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identity graph (one task: its input has one partition, so every link of every customer meets
 * here). For each new link it updates both identifiers' neighbours and regroups:
 *
 * <ul>
 *   <li>fast path — neither side's component ever broke a limit and joining them keeps every limit:
 *       the two groups become one (the result equals the canonical grouping, since a component without
 *       refused links is exactly one group);
 *   <li>otherwise the whole connected component (every link, accepted or refused) is regrouped by
 *       {@link Grouping} in canonical order, so a late link is placed where it would have been had it
 *       arrived in time.
 * </ul>
 *
 * Changes go out as assignments (routing id → customer, back to the routing tasks), member lists (to
 * the customer tasks) and {@code cx.identity-links.v1} records. Stores: {@code identity-nodes}, {@code
 * identity-groups}, {@code identity-index} (identifier → customer, for lookups) and {@code
 * identity-redirects} (absorbed customer id → survivor).
 */
public final class IdentityProcessor implements Processor<String, Link, String, IdentityOutput> {

    private static final Logger LOG = LoggerFactory.getLogger(IdentityProcessor.class);

    private final IdentitySettings settings;
    private final Grouping grouping;
    private final String nodesStore;
    private final String groupsStore;
    private final String indexStore;
    private final String redirectsStore;
    private ProcessorContext<String, IdentityOutput> context;
    private KeyValueStore<String, NodeStateSerde.Stored> nodes;
    private KeyValueStore<String, GroupRecord> groups;
    private KeyValueStore<String, String> index;
    private KeyValueStore<String, String> redirects;
    private Sensor refused;
    private Sensor merged;
    private Sensor regrouped;
    private Sensor oversized;
    private long timestamp;

    public IdentityProcessor(
            IdentitySettings settings,
            String nodesStore,
            String groupsStore,
            String indexStore,
            String redirectsStore) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.grouping = new Grouping(settings);
        this.nodesStore = nodesStore;
        this.groupsStore = groupsStore;
        this.indexStore = indexStore;
        this.redirectsStore = redirectsStore;
    }

    @Override
    public void init(ProcessorContext<String, IdentityOutput> context) {
        this.context = context;
        this.nodes = context.getStateStore(nodesStore);
        this.groups = context.getStateStore(groupsStore);
        this.index = context.getStateStore(indexStore);
        this.redirects = context.getStateStore(redirectsStore);
        this.refused = sensor(AnalyticsMetrics.IDENTITY_REFUSED_OPERATION);
        this.merged = sensor(AnalyticsMetrics.IDENTITY_MERGED_OPERATION);
        this.regrouped = sensor(AnalyticsMetrics.IDENTITY_REGROUPED_OPERATION);
        this.oversized = sensor(AnalyticsMetrics.IDENTITY_OVERSIZED_OPERATION);
    }

    private Sensor sensor(String operation) {
        return context.metrics()
                .addRateTotalSensor(
                        AnalyticsMetrics.STREAMS_SCOPE,
                        AnalyticsMetrics.IDENTITY_ENTITY,
                        operation,
                        Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(Record<String, Link> record) {
        Link link = record.value();
        if (link == null) {
            return;
        }
        // outputs carry the input record's timestamp, never the event time a client chose
        this.timestamp = record.timestamp();
        Map<String, NodeState> loaded = new LinkedHashMap<>();
        NodeState a = load(link.from(), loaded);
        NodeState b = load(link.to(), loaded);
        boolean eligibleA = a.anchorEligible();
        boolean eligibleB = b.anchorEligible();
        boolean firstRouted = !a.routed();
        a.routed(true);
        boolean changedA = a.link(b.key(), link.order(), link.alias());
        boolean changedB = b.link(a.key(), link.order(), link.alias());
        if (!changedA && !changedB && !firstRouted) {
            return;
        }
        boolean eligibilityChanged = eligibleA != a.anchorEligible() || eligibleB != b.anchorEligible();
        Set<NodeState> dirty = new java.util.HashSet<>(List.of(a, b));
        if (!a.conflicted() && !b.conflicted()) {
            if (a.customerId() != null && a.customerId().equals(b.customerId())) {
                GroupRecord group = groups.get(a.customerId());
                if (eligibilityChanged && group != null) {
                    List<NodeState> scope = new ArrayList<>();
                    for (String key : group.members()) {
                        scope.add(load(key, loaded));
                    }
                    TreeSet<String> members = new TreeSet<>(group.members());
                    apply(
                            List.of(new Grouping.Group(
                                    members, group.userUnits(), Grouping.customerId(members, eligible(loaded)))),
                            scope,
                            link,
                            false,
                            false);
                    return;
                }
                save(dirty);
                return;
            }
            Members ma = membersOf(a);
            Members mb = membersOf(b);
            if (grouping.fits(ma.keys, ma.units, mb.keys, mb.units, link.alias())) {
                TreeSet<String> union = new TreeSet<>(ma.keys);
                union.addAll(mb.keys);
                int units = link.alias() ? Math.max(ma.units, mb.units) : ma.units + mb.units;
                List<NodeState> scope = new ArrayList<>();
                for (String key : union) {
                    scope.add(load(key, loaded));
                }
                Grouping.Group group = new Grouping.Group(union, units, Grouping.customerId(union, eligible(loaded)));
                apply(List.of(group), scope, link, false, false);
                return;
            }
        }
        regroup(link, loaded);
    }

    /** Regroups the connected component of the link's identifiers in canonical order. */
    private void regroup(Link link, Map<String, NodeState> loaded) {
        Map<String, NodeState> component = new TreeMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(link.from()));
        while (!queue.isEmpty()) {
            String key = queue.poll();
            if (component.containsKey(key)) {
                continue;
            }
            NodeState node = load(key, loaded);
            component.put(key, node);
            if (component.size() > settings.maxComponentSize()) {
                oversized.record();
                LOG.warn(
                        "identity component over {} identifiers: link at {} refused without regrouping",
                        settings.maxComponentSize(),
                        Instant.ofEpochMilli(link.order().time()));
                NodeState a = load(link.from(), loaded);
                NodeState b = load(link.to(), loaded);
                a.conflicted(true);
                b.conflicted(true);
                refused.record();
                save(Set.of(a, b));
                return;
            }
            for (String next : node.neighbours().keySet()) {
                if (!component.containsKey(next)) {
                    queue.add(next);
                }
            }
        }
        List<Link> links = new ArrayList<>();
        for (NodeState node : component.values()) {
            for (Map.Entry<String, NodeState.Neighbour> entry :
                    node.neighbours().entrySet()) {
                if (node.key().compareTo(entry.getKey()) < 0) {
                    links.add(new Link(
                            node.key(),
                            entry.getKey(),
                            entry.getValue().order(),
                            entry.getValue().alias()));
                }
            }
        }
        Grouping.Result result = grouping.group(links, eligible(component));
        regrouped.record();
        if (!together(result, link)) {
            refused.record();
            LOG.debug(
                    "identity link kept apart by a limit (component of {} identifiers, {} link(s) kept apart)",
                    component.size(),
                    result.refused());
        }
        apply(result.groups(), List.copyOf(component.values()), link, true, result.refused() > 0);
    }

    /**
     * Makes {@code newGroups} the groups of the identifiers in {@code scope} (identifiers of the scope in
     * no new group become single), writes the stores and emits every change.
     */
    private void apply(
            List<Grouping.Group> newGroups,
            List<NodeState> scope,
            Link cause,
            boolean setConflicted,
            boolean conflicted) {
        Map<String, Grouping.Group> groupOf = new TreeMap<>();
        for (Grouping.Group group : newGroups) {
            for (String member : group.members()) {
                groupOf.put(member, group);
            }
        }
        Set<String> oldCustomers = new TreeSet<>();
        Map<String, String> oldEffective = new TreeMap<>();
        for (NodeState node : scope) {
            if (node.customerId() != null) {
                oldCustomers.add(node.customerId());
            }
            oldEffective.put(node.key(), node.effectiveCustomer());
        }
        Set<String> newCustomers = new TreeSet<>();
        Map<String, List<String>> singles = new TreeMap<>();
        Instant at = Instant.ofEpochMilli(cause.order().time());
        String reason = "link " + cause.order().sourceId() + "/" + cause.order().messageId();
        for (NodeState node : scope) {
            Grouping.Group group = groupOf.get(node.key());
            String customer = group == null ? null : group.customerId();
            node.customerId(customer);
            if (setConflicted) {
                node.conflicted(conflicted);
            }
            String effective = node.effectiveCustomer();
            if (customer != null) {
                newCustomers.add(customer);
            } else if (effective != null) {
                singles.put(effective, List.of(node.key()));
            }
            if (Objects.equals(effective, oldEffective.get(node.key()))) {
                continue;
            }
            if (customer != null) {
                index.put(node.key(), customer);
            } else {
                index.delete(node.key());
            }
            if (IdentifierKeys.isRouting(node.key())) {
                String own = IdentifierKeys.ownCustomer(node.key());
                if (own.equals(effective)) {
                    redirects.delete(own);
                } else {
                    redirects.put(own, effective);
                }
                context.forward(new Record<>(
                        IdentifierKeys.value(node.key()),
                        IdentityOutput.of(new IdentityOutput.Assignment(node.key(), effective)),
                        timestamp));
            }
            if (effective != null) {
                context.forward(new Record<>(
                        node.key(),
                        IdentityOutput.of(link(node.key(), effective, LinkKind.LINK, null, reason, at)),
                        timestamp));
            }
        }
        for (Grouping.Group group : newGroups) {
            if (group.customerId() == null) {
                continue;
            }
            groups.put(group.customerId(), new GroupRecord(List.copyOf(group.members()), group.userUnits()));
            redirects.delete(group.customerId());
            forwardMembers(group.customerId(), List.copyOf(group.members()), cause);
        }
        singles.forEach((customer, members) -> forwardMembers(customer, members, cause));
        for (String old : oldCustomers) {
            if (newCustomers.contains(old) || singles.containsKey(old)) {
                continue;
            }
            groups.delete(old);
            forwardMembers(old, null, cause);
            String survivor = survivorOf(old, scope);
            if (survivor != null) {
                merged.record();
                context.forward(new Record<>(
                        old, IdentityOutput.of(link(old, old, LinkKind.MERGE, survivor, reason, at)), timestamp));
            }
        }
        save(scope);
    }

    private static boolean together(Grouping.Result result, Link link) {
        for (Grouping.Group group : result.groups()) {
            if (group.members().contains(link.from())) {
                return group.members().contains(link.to());
            }
        }
        return false;
    }

    /** Where the routing id an absorbed customer id was derived from went. */
    private static String survivorOf(String oldCustomer, List<NodeState> scope) {
        for (NodeState node : scope) {
            if (IdentifierKeys.isRouting(node.key())
                    && IdentifierKeys.ownCustomer(node.key()).equals(oldCustomer)) {
                return node.effectiveCustomer();
            }
        }
        return null;
    }

    private void forwardMembers(String customerId, List<String> members, Link cause) {
        context.forward(new Record<>(customerId, IdentityOutput.of(new IdentityOutput.Members(members)), timestamp));
    }

    private static IdentityLink link(
            String identifier, String customerId, LinkKind kind, String mergedInto, String reason, Instant at) {
        return IdentityLink.newBuilder()
                .setIdentifier(identifier)
                .setCustomerId(customerId)
                .setKind(kind)
                .setMergedInto(mergedInto)
                .setReason(reason)
                .setAt(at)
                .build();
    }

    private record Members(List<String> keys, int units) {}

    private Members membersOf(NodeState node) {
        if (node.customerId() != null) {
            GroupRecord group = groups.get(node.customerId());
            if (group != null) {
                return new Members(group.members(), group.userUnits());
            }
        }
        return new Members(List.of(node.key()), Grouping.unitsOf(node.key()));
    }

    /** Anchor eligibility read from nodes already loaded (every member of the scope is). */
    private static java.util.function.Predicate<String> eligible(Map<String, NodeState> nodes) {
        return key -> {
            NodeState node = nodes.get(key);
            return node == null || node.anchorEligible();
        };
    }

    private NodeState load(String key, Map<String, NodeState> loaded) {
        NodeState node = loaded.get(key);
        if (node == null) {
            NodeStateSerde.Stored stored = nodes.get(key);
            node = stored == null ? NodeState.fresh(key) : stored.toNode(key);
            loaded.put(key, node);
        }
        return node;
    }

    private void save(Iterable<NodeState> changed) {
        for (NodeState node : changed) {
            nodes.put(node.key(), NodeStateSerde.Stored.of(node));
        }
    }
}
