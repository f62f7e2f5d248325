package io.cxflow.activation.channel;

import java.io.IOException;
import java.net.http.HttpTimeoutException;

/**
 * The one place that decides whether a failed delivery is worth another attempt. Retriable: network
 * errors and timeouts (the provider may not have seen the request, or may recover), {@code 408},
 * {@code 425}, {@code 429} and every {@code 5xx}. Everything else a provider answers outside {@code
 * 2xx} is permanent: the same request would be refused again. Redirects are not followed (a webhook
 * URL that moved is a configuration error), so {@code 3xx} is permanent too.
 */
public final class FailureClassifier {

    private FailureClassifier() {}

    /** The outcome of an HTTP answer with {@code status}. */
    public static Delivery.Outcome ofStatus(int status) {
        if (status >= 200 && status < 300) {
            return Delivery.Outcome.SENT;
        }
        if (status == 408 || status == 425 || status == 429 || (status >= 500 && status < 600)) {
            return Delivery.Outcome.RETRIABLE;
        }
        return Delivery.Outcome.PERMANENT;
    }

    /** The outcome of an attempt that ended with {@code error} instead of an answer. */
    public static Delivery.Outcome ofError(Throwable error) {
        if (error instanceof HttpTimeoutException || error instanceof IOException) {
            return Delivery.Outcome.RETRIABLE;
        }
        return Delivery.Outcome.PERMANENT;
    }

    /** A short, log-safe description of {@code error} (its type and message, no URL query). */
    public static String describe(Throwable error) {
        String message = error.getMessage();
        String type = error.getClass().getSimpleName();
        return message == null || message.isBlank() ? type : type + ": " + message;
    }
}
