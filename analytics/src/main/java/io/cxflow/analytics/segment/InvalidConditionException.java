package io.cxflow.analytics.segment;

import java.util.List;

/**
 * A segment condition that does not compile: a syntax error, an unknown field, or a result that is not
 * a boolean. {@link #getMessage()} names the first problem with its position and shows where it is.
 */
public final class InvalidConditionException extends IllegalArgumentException {

    /** One problem in a condition, at a 1-based line and column. */
    public record Problem(int line, int column, String message) {
        @Override
        public String toString() {
            return line + ":" + column + ": " + message;
        }
    }

    private final String condition;
    private final List<Problem> problems;

    InvalidConditionException(String condition, List<Problem> problems, String display) {
        super("invalid condition at " + problems.getFirst() + (display.isEmpty() ? "" : "\n" + display));
        this.condition = condition;
        this.problems = List.copyOf(problems);
    }

    /** The condition as written. */
    public String condition() {
        return condition;
    }

    /** Every problem found, the first one first. */
    public List<Problem> problems() {
        return problems;
    }

    /** 1-based line of the first problem. */
    public int line() {
        return problems.getFirst().line();
    }

    /** 1-based column of the first problem. */
    public int column() {
        return problems.getFirst().column();
    }
}
