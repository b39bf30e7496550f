package io.dynamicrag.processing.fetch;

/**
 * The readable part of a web page.
 *
 * @param title the page's title ({@code <title>}, else {@code og:title}, else the first {@code <h1>}); empty when
 *              the page names none
 * @param text  the main content as plain text: one block (paragraph, heading, list item, ...) per paragraph,
 *              blocks separated by a blank line, whitespace inside a block collapsed
 */
public record MainContent(String title, String text) {

    public MainContent {
        title = title == null ? "" : title;
        text = text == null ? "" : text;
    }
}
