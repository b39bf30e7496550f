package io.dynamicrag.command.tenancy;

/** A configuration change that breaks a rule; becomes a 400 with this message. */
public class InvalidConfigurationException extends RuntimeException {

    public InvalidConfigurationException(String message) {
        super(message);
    }
}
