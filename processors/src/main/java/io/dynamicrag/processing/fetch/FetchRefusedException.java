package io.dynamicrag.processing.fetch;

/**
 * An outbound request was refused by policy before any connection was made: a scheme other than http/https,
 * credentials in the URL, or an address that must not be contacted (loopback, link-local, private, ...).
 * The message names the rule, e.g. {@code refused: 169.254.169.254 is a link-local address}; it is written for
 * API clients and carries no internal detail.
 */
public class FetchRefusedException extends RuntimeException {

    public FetchRefusedException(String message) {
        super(message);
    }
}
