package io.cxflow.activation.workflow;

import java.util.List;
import java.util.stream.Collectors;

/** A submitted workflow is not valid; {@link #errors()} names every offending field. */
public final class WorkflowValidationException extends RuntimeException {

    private final List<FieldError> errors;

    public WorkflowValidationException(List<FieldError> errors) {
        super(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a validation failure needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
