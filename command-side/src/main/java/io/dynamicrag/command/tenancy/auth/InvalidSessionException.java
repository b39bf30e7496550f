package io.dynamicrag.command.tenancy.auth;

/** A refresh token or session that cannot be used; answered with 401. */
public class InvalidSessionException extends RuntimeException {

    public InvalidSessionException(String message) {
        super(message);
    }
}
