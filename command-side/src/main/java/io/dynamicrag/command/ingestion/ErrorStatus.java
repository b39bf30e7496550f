package io.dynamicrag.command.ingestion;

import io.dynamicrag.kernel.web.WebPageFetcher;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** The HTTP status and message an ingestion failure is reported with (for batch items, which share one answer). */
final class ErrorStatus {

    private ErrorStatus() {
    }

    static HttpStatus of(Throwable failure) {
        if (failure instanceof ResponseStatusException e) {
            return HttpStatus.valueOf(e.getStatusCode().value());
        }
        if (failure instanceof IngestionRefusedException e) {
            return e.status();
        }
        if (failure instanceof InvalidDocumentException) {
            return HttpStatus.BAD_REQUEST;
        }
        if (failure instanceof DocumentLimitReachedException || failure instanceof DocumentBusyException) {
            return HttpStatus.CONFLICT;
        }
        if (failure instanceof DocumentNotFoundException || failure instanceof AggregateNotFoundException) {
            return HttpStatus.NOT_FOUND;
        }
        if (failure instanceof WebPageFetcher.PageFetchException e) {
            return e.refused() ? HttpStatus.BAD_REQUEST : HttpStatus.UNPROCESSABLE_ENTITY;
        }
        return HttpStatus.INTERNAL_SERVER_ERROR;
    }

    static String message(Throwable failure) {
        if (failure instanceof ResponseStatusException e) {
            return e.getReason();
        }
        return failure.getMessage();
    }
}
