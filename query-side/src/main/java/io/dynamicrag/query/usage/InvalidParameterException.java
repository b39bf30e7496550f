package io.dynamicrag.query.usage;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** A query parameter the client got wrong: 400 problem+json whose detail and {@code parameter} name it. */
class InvalidParameterException extends ResponseStatusException {

    InvalidParameterException(String parameter, String problem) {
        super(HttpStatus.BAD_REQUEST, parameter + " " + problem);
        getBody().setProperty("parameter", parameter);
    }
}
