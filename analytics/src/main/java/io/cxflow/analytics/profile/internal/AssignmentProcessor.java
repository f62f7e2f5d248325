package io.cxflow.analytics.profile.internal;

import io.cxflow.analytics.identity.internal.IdentifierKeys;
import io.cxflow.analytics.identity.internal.IdentityOutput;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Applies the identity graph's decision that a routing identifier now belongs to another customer, in
 * the routing task that owns the identifier's partial profile: the old customer forgets the partial,
 * the new one receives it. Later events of the routing id go to the new customer.
 */
public final class AssignmentProcessor implements Processor<String, IdentityOutput.Assignment, String, RoutingOutput> {

    private final String partialsStore;
    private final String assignmentsStore;
    private ProcessorContext<String, RoutingOutput> context;
    private KeyValueStore<String, byte[]> partials;
    private KeyValueStore<String, String> assignments;

    public AssignmentProcessor(String partialsStore, String assignmentsStore) {
        this.partialsStore = partialsStore;
        this.assignmentsStore = assignmentsStore;
    }

    @Override
    public void init(ProcessorContext<String, RoutingOutput> context) {
        this.context = context;
        this.partials = context.getStateStore(partialsStore);
        this.assignments = context.getStateStore(assignmentsStore);
    }

    @Override
    public void process(Record<String, IdentityOutput.Assignment> record) {
        IdentityOutput.Assignment assignment = record.value();
        if (assignment == null || assignment.customerId() == null) {
            return;
        }
        String routingKey = assignment.routingKey();
        String own = IdentifierKeys.ownCustomer(routingKey);
        String stored = assignments.get(routingKey);
        String current = stored == null ? own : stored;
        if (current.equals(assignment.customerId())) {
            return;
        }
        if (assignment.customerId().equals(own)) {
            assignments.delete(routingKey);
        } else {
            assignments.put(routingKey, assignment.customerId());
        }
        byte[] partial = partials.get(routingKey);
        if (partial == null) {
            return; // known to the graph only through an alias: nothing to move
        }
        long at = record.timestamp();
        context.forward(new Record<>(current, RoutingOutput.of(CustomerOp.remove(routingKey, "identity", at)), at));
        context.forward(new Record<>(
                assignment.customerId(),
                RoutingOutput.of(CustomerOp.part(routingKey, partial, "identity", at, null)),
                at));
    }
}
