package io.cxflow.analytics.profile;

import java.util.Optional;

/**
 * The kinds of identifier a profile collects, named as in the public JSON contract ({@code identities}
 * keys and the {@code GET /v1/profiles?<type>=} lookup parameters).
 */
public enum IdentifierType {
    USER_ID("userId"),
    ANONYMOUS_ID("anonymousId"),
    EMAIL("email"),
    PHONE("phone");

    private final String contractName;

    IdentifierType(String contractName) {
        this.contractName = contractName;
    }

    /** The name used in {@code identities} and as the lookup query parameter. */
    public String contractName() {
        return contractName;
    }

    /** The key of an identifier in the identifier index store: {@code <type>:<value>}. */
    public String indexKey(String value) {
        return contractName + ":" + value;
    }

    /**
     * Normalizes a lookup value the way the topology stores it: emails trimmed and lower-cased, phones
     * in E.164, other identifiers trimmed.
     */
    public Optional<String> normalize(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        return switch (this) {
            case EMAIL -> Identifiers.email(raw);
            case PHONE -> Identifiers.phone(raw);
            case USER_ID, ANONYMOUS_ID -> {
                String trimmed = raw.trim();
                yield trimmed.isEmpty() ? Optional.empty() : Optional.of(trimmed);
            }
        };
    }

    public static Optional<IdentifierType> fromContractName(String name) {
        for (IdentifierType type : values()) {
            if (type.contractName.equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
