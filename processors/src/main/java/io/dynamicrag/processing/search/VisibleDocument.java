package io.dynamicrag.processing.search;

/** A document a search may return, at the version it may return, with what the read model says about it. */
record VisibleDocument(int version, String title, String docType, String sourceUrl) {
}
