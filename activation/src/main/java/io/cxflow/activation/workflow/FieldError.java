package io.cxflow.activation.workflow;

import java.util.Objects;

/**
 * One problem with a submitted workflow, named by its JSON path, e.g. {@code steps[0].send.url}.
 *
 * @param field the JSON path of the offending field
 * @param message what is wrong and what is expected
 */
public record FieldError(String field, String message) {

    public FieldError {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
