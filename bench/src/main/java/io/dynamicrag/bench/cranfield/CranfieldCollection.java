package io.dynamicrag.bench.cranfield;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Cranfield 1400 test collection as published ({@code cran.all.1400}, {@code cran.qry}, {@code cranqrel}).
 *
 * <p>Relevance grades map to gains as follows (documented in README, "Benchmarks"): Cleverdon's grades run from 1
 * (complete answer) to 4 (minimal interest), lower being more relevant, so {@code gain = 5 - grade} (1 -> 4 ... 4 -> 1).
 * Every query also lists exactly one document with grade {@code -1}: it is the paper the question was written from
 * (query 1 -> doc 486 "similarity laws for aerothermoelastic testing", query 3 -> doc 485 "linear heat flow in a
 * composite slab"), so it gets the top gain 4 as well. A document listed twice for one query keeps its highest gain;
 * judgements naming a document that is not in the collection are dropped and counted. Documents 471 and 995 are
 * empty (no title, no text): they are left out (the API rejects empty content), and so is the one judgement naming
 * one of them (query 125, doc 995); {@code emptyDocuments} counts them.
 */
public record CranfieldCollection(List<Doc> documents, List<Question> queries,
                                  Map<Integer, Map<Integer, Integer>> gainsByQuery, int droppedJudgements,
                                  int emptyDocuments) {

    /** A document: its Cranfield number, title ({@code .T}) and text (every {@code .W} section, in order). */
    public record Doc(int id, String title, String text) {
    }

    /** A query: its number in {@code cranqrel} (its position in {@code cran.qry}, 1-based) and its text. */
    public record Question(int number, String text) {
    }

    public static CranfieldCollection read(Path dir) throws IOException {
        List<Doc> all = readDocuments(dir.resolve("cran.all.1400"));
        List<Doc> docs = all.stream().filter(d -> !d.text().isEmpty()).toList();
        List<Question> queries = readQueries(dir.resolve("cran.qry"));
        Set<Integer> known = docs.stream().map(Doc::id).collect(Collectors.toSet());
        Map<Integer, Map<Integer, Integer>> gains = new HashMap<>();
        int dropped = 0;
        for (String line : lines(dir.resolve("cranqrel"))) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 3) {
                continue;
            }
            int query = Integer.parseInt(fields[0]);
            int doc = Integer.parseInt(fields[1]);
            int gain = gain(Integer.parseInt(fields[2]));
            if (!known.contains(doc) || gain <= 0) {
                dropped++;
                continue;
            }
            gains.computeIfAbsent(query, q -> new HashMap<>()).merge(doc, gain, Math::max);
        }
        return new CranfieldCollection(docs, queries, gains, dropped, all.size() - docs.size());
    }

    /** Gain of a Cranfield relevance grade; see the class comment. */
    static int gain(int grade) {
        if (grade == -1) {
            return 4;
        }
        return grade >= 1 && grade <= 4 ? 5 - grade : 0;
    }

    /** The judged documents of a query with their gains (empty when it has none). */
    public Map<Integer, Integer> gains(Question query) {
        return gainsByQuery.getOrDefault(query.number(), Map.of());
    }

    private static List<Doc> readDocuments(Path file) throws IOException {
        List<Doc> docs = new ArrayList<>();
        for (Map<Character, String> record : records(file)) {
            String title = record.getOrDefault('T', "").trim();
            String text = record.getOrDefault('W', "").trim();
            docs.add(new Doc(Integer.parseInt(record.get('I')), title, text.isEmpty() ? title : text));
        }
        return Collections.unmodifiableList(docs);
    }

    private static List<Question> readQueries(Path file) throws IOException {
        List<Question> queries = new ArrayList<>();
        for (Map<Character, String> record : records(file)) {
            queries.add(new Question(queries.size() + 1, record.getOrDefault('W', "").trim()));
        }
        return Collections.unmodifiableList(queries);
    }

    /**
     * Splits a SMART-format file into records of fields: a line {@code .I n} starts a record, {@code .T/.A/.B/.W}
     * start a field; a field that appears twice (doc 576 and 578 have two {@code .W}) is concatenated.
     */
    private static List<Map<Character, String>> records(Path file) throws IOException {
        List<Map<Character, String>> records = new ArrayList<>();
        Map<Character, StringBuilder> current = null;
        char field = 0;
        for (String line : lines(file)) {
            if (line.startsWith(".I ")) {
                if (current != null) {
                    records.add(flatten(current));
                }
                current = new LinkedHashMap<>();
                current.put('I', new StringBuilder(line.substring(3).trim()));
                field = 0;
            } else if (line.length() == 2 && line.charAt(0) == '.' && "TABW".indexOf(line.charAt(1)) >= 0) {
                field = line.charAt(1);
                if (current != null) {
                    current.computeIfAbsent(field, f -> new StringBuilder()).append(' ');
                }
            } else if (current != null && field != 0) {
                current.get(field).append(line).append(' ');
            }
        }
        if (current != null) {
            records.add(flatten(current));
        }
        return records;
    }

    private static Map<Character, String> flatten(Map<Character, StringBuilder> record) {
        Map<Character, String> flat = new HashMap<>();
        record.forEach((k, v) -> flat.put(k, v.toString().replaceAll("\\s+", " ").trim()));
        return flat;
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.US_ASCII).lines().map(l -> l.replace("\r", "")).toList();
    }
}
