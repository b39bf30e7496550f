package io.dynamicrag.command.tenancy.auth;

/** The account exists but is suspended; answered with 403. */
public class AccountSuspendedException extends RuntimeException {

    public AccountSuspendedException() {
        super("This account is suspended; contact support");
    }
}
