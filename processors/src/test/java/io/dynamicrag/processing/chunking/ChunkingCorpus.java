package io.dynamicrag.processing.chunking;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Deterministic test texts, with the spans of the units they were built from. */
final class ChunkingCorpus {

    /** A generated text and where its sentences, paragraphs (blocks) and headings are. */
    record Doc(String text, List<int[]> sentences, List<int[]> paragraphs, List<int[]> headings) {
    }

    private static final String[] WORDS = {
        "the", "index", "stores", "vectors", "for", "every", "tenant", "and", "search", "returns", "ranked", "chunks",
        "documents", "arrive", "through", "an", "upload", "or", "a", "crawler", "which", "fetches", "pages",
        "embedding", "models", "turn", "text", "into", "numbers", "with", "cosine", "distance", "between", "them",
        "parsing", "happens", "first", "then", "chunking", "splits", "long", "content", "overlap", "keeps",
        "context", "across", "boundaries", "quickly", "reliably", "internationalization", "configuration",
    };
    /** Phrases that contain a period the sentence detector must not take for a sentence end. */
    private static final String[] TRICKY = {
        "e.g. Java", "i.e. Kotlin", "about 3.14 units", "version 1.2.3", "Dr. Smith", "Mr. Jones",
        "example.com", "Fig. 3", "vs. Python", "J. R. R. Tolkien",
    };

    private static final Map<String, String> NAMED = new LinkedHashMap<>();

    static {
        String prose = prose(42, 40, 1, 8, 20, 240).text();
        NAMED.put("prose", prose);
        NAMED.put("prose-crlf", prose.replace("\n", "\r\n"));
        NAMED.put("markdown", markdown().text());
        NAMED.put("cjk", cjk());
        NAMED.put("emoji", emoji());
        NAMED.put("long-tokens", longTokens());
        NAMED.put("combining-marks", combining());
        NAMED.put("whitespace-heavy", whitespaceHeavy());
        NAMED.put("one-long-sentence", oneLongSentence());
    }

    private ChunkingCorpus() {
    }

    static Map<String, String> named() {
        return NAMED;
    }

    /**
     * Paragraphs of {@code minSentences..maxSentences} sentences, each sentence {@code minLength..maxLength} long,
     * separated by blank lines.
     */
    static Doc prose(long seed, int paragraphs, int minSentences, int maxSentences, int minLength, int maxLength) {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder();
        List<int[]> sentenceSpans = new ArrayList<>();
        List<int[]> paragraphSpans = new ArrayList<>();
        for (int p = 0; p < paragraphs; p++) {
            if (p > 0) {
                text.append("\n\n");
            }
            int paragraphStart = text.length();
            int count = minSentences + random.nextInt(maxSentences - minSentences + 1);
            for (int s = 0; s < count; s++) {
                if (s > 0) {
                    text.append(random.nextInt(5) == 0 ? "\n" : " "); // hard-wrapped prose now and then
                }
                int start = text.length();
                text.append(sentence(random, minLength + random.nextInt(maxLength - minLength + 1)));
                sentenceSpans.add(new int[] {start, text.length()});
            }
            paragraphSpans.add(new int[] {paragraphStart, text.length()});
        }
        return new Doc(text.toString(), sentenceSpans, paragraphSpans, List.of());
    }

    /** One sentence of about {@code length} characters (never longer), capitalised, with a terminator. */
    static String sentence(Random random, int length) {
        StringBuilder s = new StringBuilder();
        String first = WORDS[random.nextInt(WORDS.length)];
        s.append(Character.toUpperCase(first.charAt(0))).append(first, 1, first.length());
        while (true) {
            String next = random.nextInt(7) == 0 ? TRICKY[random.nextInt(TRICKY.length)]
                    : WORDS[random.nextInt(WORDS.length)];
            String separator = random.nextInt(9) == 0 ? ", " : " ";
            if (s.length() + separator.length() + next.length() + 1 > length) {
                break;
            }
            s.append(separator).append(next);
        }
        s.append(".?!".charAt(random.nextInt(6) < 4 ? 0 : random.nextInt(3)));
        return s.toString();
    }

    /** A Markdown document of about 20 KB: headings, prose, lists, code fences with blank lines, a table. */
    static Doc markdown() {
        Random random = new Random(7);
        StringBuilder text = new StringBuilder();
        List<int[]> blocks = new ArrayList<>();
        List<int[]> headings = new ArrayList<>();
        int section = 0;
        while (text.length() < 20_000) {
            section++;
            block(text, blocks, headings, "# Section " + section + " of the guide", true);
            block(text, blocks, headings, paragraph(random, 2 + random.nextInt(4)), false);
            block(text, blocks, headings, "## Details for part " + section, true);
            block(text, blocks, headings, paragraph(random, 1 + random.nextInt(3)), false);
            StringBuilder list = new StringBuilder();
            int items = 3 + random.nextInt(section % 3 == 0 ? 40 : 6); // every third list is longer than 1000
            for (int i = 0; i < items; i++) {
                if (i > 0) {
                    list.append('\n');
                }
                list.append(section % 2 == 0 ? "- " : (i + 1) + ". ").append(sentence(random, 30 + random.nextInt(60)));
                if (random.nextInt(4) == 0) {
                    list.append("\n  continued on a second line of the same item.");
                }
            }
            block(text, blocks, headings, list.toString(), false);
            if (section % 2 == 1) {
                block(text, blocks, headings, "```java\nint a = 1;\n\nint b = a + 2; // a blank line above\n```",
                        false);
            }
            if (section % 4 == 0) {
                StringBuilder table = new StringBuilder("| name | value |\n| --- | --- |");
                for (int r = 0; r < 5 + random.nextInt(60); r++) {
                    table.append("\n| row ").append(r).append(" | ").append(WORDS[random.nextInt(WORDS.length)])
                            .append(" |");
                }
                block(text, blocks, headings, table.toString(), false);
            }
            if (section % 5 == 0) {
                block(text, blocks, headings, paragraph(random, 14), false); // longer than 1000
            }
        }
        return new Doc(text.toString(), List.of(), blocks, headings);
    }

    private static String paragraph(Random random, int sentences) {
        StringBuilder p = new StringBuilder();
        for (int s = 0; s < sentences; s++) {
            if (s > 0) {
                p.append(' ');
            }
            p.append(sentence(random, 40 + random.nextInt(120)));
        }
        return p.toString();
    }

    private static void block(StringBuilder text, List<int[]> blocks, List<int[]> headings, String block,
                              boolean heading) {
        if (text.length() > 0) {
            text.append("\n\n");
        }
        int start = text.length();
        text.append(block);
        (heading ? headings : blocks).add(new int[] {start, text.length()});
    }

    private static String cjk() {
        StringBuilder text = new StringBuilder();
        String han = "检索增强生成把文档切成小块然后为每一块计算向量并在查询时找出最相近的内容";
        Random random = new Random(3);
        for (int i = 0; i < 60; i++) {
            int length = 5 + random.nextInt(40);
            for (int c = 0; c < length; c++) {
                text.append(han.charAt(random.nextInt(han.length())));
            }
            text.append("。！？".charAt(random.nextInt(3)));
            if (i % 10 == 9) {
                text.append("\n\n");
            }
        }
        text.append("日本語のテキストも混ざります。English words follow here. ");
        for (int c = 0; c < 700; c++) { // an unpunctuated run far longer than the size
            text.append(han.charAt(c % han.length()));
        }
        text.append("。");
        return text.toString();
    }

    private static String emoji() {
        StringBuilder text = new StringBuilder("a");
        String[] pieces = {"😀", "👍🏽", "👨‍👩‍👧", "🇩🇪", "🇫🇷", "❤️", "🏳️‍🌈", "1️⃣"};
        Random random = new Random(5);
        for (int i = 0; i < 400; i++) { // one long token: every alignment of pairs and clusters
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        text.append(" Some words 😀 between emoji 👍🏽 and more text. ");
        for (int i = 0; i < 300; i++) {
            text.append(random.nextBoolean() ? "x😀" : "😀");
        }
        text.append("\n\nA final sentence with a flag 🇩🇪 inside.");
        return text.toString();
    }

    private static String longTokens() {
        Random random = new Random(11);
        byte[] bytes = new byte[2400];
        random.nextBytes(bytes);
        String base64 = Base64.getEncoder().encodeToString(bytes);
        String url = "https://example.com/" + "segment/".repeat(40) + "index.html?query=" + "q".repeat(150);
        return prose(1, 3, 2, 4, 30, 90).text() + "\n\nBlob: " + base64 + " end of blob.\n\nLink " + url
                + " and " + "a".repeat(2500) + " done. " + prose(2, 2, 2, 3, 30, 90).text();
    }

    private static String combining() {
        return "Café naïve " + "e\u0301".repeat(300) + " résumé " + "a\u0308o\u0308".repeat(120) + " end.";
    }

    private static String whitespaceHeavy() {
        StringBuilder text = new StringBuilder("\n\n   \t");
        Random random = new Random(13);
        for (int i = 0; i < 600; i++) {
            text.append(WORDS[random.nextInt(WORDS.length)]);
            String[] gaps = {" ", "  ", "\t", "\n", "\n\n\n", " \u2003 ", "\r\n", "\n    \n"};
            text.append(gaps[random.nextInt(gaps.length)]);
            if (i % 37 == 0) {
                text.append(" ".repeat(150)).append("\n".repeat(30));
            }
        }
        return text.append("   \n\n").toString();
    }

    private static String oneLongSentence() {
        Random random = new Random(17);
        StringBuilder text = new StringBuilder("This");
        while (text.length() < 3000) {
            text.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
        }
        return text.append('.').toString();
    }
}
