package io.cxflow.schemas;

/** Kafka {@code cleanup.policy} of a catalog topic. */
public enum CleanupPolicy {
    DELETE("delete"),
    COMPACT("compact");

    private final String kafkaValue;

    CleanupPolicy(String kafkaValue) {
        this.kafkaValue = kafkaValue;
    }

    /** The value as Kafka spells it in {@code cleanup.policy}. */
    public String kafkaValue() {
        return kafkaValue;
    }

    public static CleanupPolicy fromKafka(String value) {
        for (CleanupPolicy p : values()) {
            if (p.kafkaValue.equalsIgnoreCase(value)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown cleanup.policy: " + value);
    }
}
