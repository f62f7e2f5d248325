package io.cxflow.schemas.json;

/**
 * A JSON text or tree that {@link JsonCodec} refuses: not one valid JSON value, beyond a limit, a duplicate
 * key, or a tree that is not plain JSON. The message says what and where (line and column), never the
 * content, so it is safe to log.
 */
public final class JsonTextException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public JsonTextException(String message) {
        super(message);
    }

    public JsonTextException(String message, Throwable cause) {
        super(message, cause);
    }
}
