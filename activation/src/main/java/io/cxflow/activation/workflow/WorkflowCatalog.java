package io.cxflow.activation.workflow;

import io.cxflow.avro.TriggerKind;
import io.cxflow.avro.WorkflowDefinition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * An immutable snapshot of the current workflows, indexed by id and by trigger (segment and change, or
 * event name). Workflow changes are
 * rare and lookups happen for every membership change, so every change builds a new catalog
 * (copy-on-write) and readers never lock.
 */
public final class WorkflowCatalog {

    private static final WorkflowCatalog EMPTY = new WorkflowCatalog(new TreeMap<>());

    private final NavigableMap<String, WorkflowDefinition> byId;
    private final Map<TriggerKey, List<WorkflowDefinition>> byTrigger;
    private final Map<String, List<WorkflowDefinition>> byEvent;
    private final Map<String, WorkflowLimits> limits;

    private WorkflowCatalog(NavigableMap<String, WorkflowDefinition> byId) {
        this.byId = byId;
        Map<TriggerKey, List<WorkflowDefinition>> index = new HashMap<>();
        Map<String, List<WorkflowDefinition>> events = new HashMap<>();
        for (WorkflowDefinition w : byId.values()) {
            if (w.getEnabled()
                    && !w.getDeleted()
                    && w.getTrigger().getKind() == TriggerKind.EVENT
                    && w.getTrigger().getEvent() != null) {
                events.computeIfAbsent(w.getTrigger().getEvent(), k -> new ArrayList<>())
                        .add(w);
            } else if (w.getEnabled() && !w.getDeleted() && w.getTrigger().getSegmentId() != null) {
                index.computeIfAbsent(
                                new TriggerKey(
                                        w.getTrigger().getSegmentId(),
                                        w.getTrigger().getKind()),
                                k -> new ArrayList<>())
                        .add(w);
            }
        }
        index.replaceAll((k, v) -> List.copyOf(v));
        this.byTrigger = Map.copyOf(index);
        events.replaceAll((k, v) -> List.copyOf(v));
        this.byEvent = Map.copyOf(events);
        Map<String, WorkflowLimits> parsed = new HashMap<>();
        for (WorkflowDefinition w : byId.values()) {
            WorkflowLimits l = WorkflowLimits.of(w.getLimits());
            if (!l.isEmpty()) {
                parsed.put(w.getId(), l);
            }
        }
        this.limits = Map.copyOf(parsed);
    }

    public static WorkflowCatalog empty() {
        return EMPTY;
    }

    /** A catalog holding {@code workflows} (deleted ones are left out). */
    public static WorkflowCatalog of(Collection<WorkflowDefinition> workflows) {
        NavigableMap<String, WorkflowDefinition> byId = new TreeMap<>();
        for (WorkflowDefinition w : workflows) {
            if (!w.getDeleted()) {
                byId.put(w.getId(), w);
            }
        }
        return new WorkflowCatalog(byId);
    }

    /** This catalog with {@code workflow} stored under its id (or removed, when it is marked deleted). */
    public WorkflowCatalog with(WorkflowDefinition workflow) {
        NavigableMap<String, WorkflowDefinition> next = new TreeMap<>(byId);
        if (workflow.getDeleted()) {
            next.remove(workflow.getId());
        } else {
            next.put(workflow.getId(), workflow);
        }
        return new WorkflowCatalog(next);
    }

    /** This catalog without the workflow {@code id}. */
    public WorkflowCatalog without(String id) {
        if (!byId.containsKey(id)) {
            return this;
        }
        NavigableMap<String, WorkflowDefinition> next = new TreeMap<>(byId);
        next.remove(id);
        return new WorkflowCatalog(next);
    }

    public WorkflowDefinition get(String id) {
        return byId.get(id);
    }

    /** Every workflow, ordered by id. */
    public List<WorkflowDefinition> all() {
        return List.copyOf(byId.values());
    }

    public int size() {
        return byId.size();
    }

    /** The enabled workflows triggered when a customer {@code kind}s segment {@code segmentId}, by id. */
    public List<WorkflowDefinition> triggeredBy(String segmentId, TriggerKind kind) {
        return byTrigger.getOrDefault(new TriggerKey(segmentId, kind), List.of());
    }

    /** The enabled workflows triggered by the event {@code name}, by id. */
    public List<WorkflowDefinition> triggeredByEvent(String name) {
        return byEvent.getOrDefault(name, List.of());
    }

    /** The limits of workflow {@code id} as it is now; none when it has none or is unknown. */
    public WorkflowLimits limits(String id) {
        return limits.getOrDefault(id, WorkflowLimits.none());
    }

    /** The names of the events some enabled workflow is triggered by. */
    public Set<String> eventNames() {
        return byEvent.keySet();
    }

    private record TriggerKey(String segmentId, TriggerKind kind) {
        TriggerKey {
            Objects.requireNonNull(segmentId, "segmentId");
            Objects.requireNonNull(kind, "kind");
        }
    }
}
