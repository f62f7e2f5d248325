package io.cxflow.platform.registry;

/**
 * The schema registry refused or could not answer a request. {@link #status()} is the HTTP status the
 * registry answered (409 for a schema that breaks the compatibility rule, 404 for an unknown subject or
 * id, 422 for an invalid schema), or 0 when it could not be reached.
 */
public final class SchemaRegistryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final int errorCode;

    public SchemaRegistryException(int status, int errorCode, String message) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
        this.errorCode = 0;
    }

    /** The HTTP status of the registry's answer, or 0 when there was none. */
    public int status() {
        return status;
    }

    /** The Confluent-style {@code error_code} of the answer (e.g. 409, 40401, 42201), or 0. */
    public int errorCode() {
        return errorCode;
    }

    /** Whether the registry refused the schema because it breaks the subject's compatibility rule. */
    public boolean isIncompatible() {
        return status == 409;
    }
}
