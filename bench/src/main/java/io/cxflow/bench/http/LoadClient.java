package io.cxflow.bench.http;

import java.io.IOException;

/** One client connection of the load driver: posts a body and answers the status code. Not thread-safe. */
public interface LoadClient extends AutoCloseable {

    /**
     * Posts {@code body} to {@code path} and waits for the whole response.
     *
     * @param authorization the {@code Authorization} header value
     * @return the response status
     * @throws IOException when the connection fails (the next call reconnects)
     */
    int post(String path, String authorization, byte[] body) throws IOException;

    /** The body of the last response, for diagnostics. */
    String lastResponse();

    @Override
    void close();

    /** Opens connections of one kind to one server. */
    interface Factory {
        LoadClient open();

        /** A short name for the report, e.g. {@code raw-socket}. */
        String name();
    }
}
