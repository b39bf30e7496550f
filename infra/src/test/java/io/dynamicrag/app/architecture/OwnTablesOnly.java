package io.dynamicrag.app.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A class may name in its SQL only tables its own module owns. The SQL is found in the class file's constant pool
 * ({@link ClassFileStrings}): every string constant is searched for a table right after FROM, JOIN, INTO, UPDATE,
 * TABLE or TRUNCATE (so DELETE FROM, INSERT INTO, ALTER/CREATE TABLE and a comma-less join list are covered), and a
 * name counts when it is a table of the ownership map. Column names, aliases and prose never stand after these
 * keywords as a table would, except in a sentence such as "removed from documents": that would be reported and
 * is cheap to reword. Not seen: SQL built from pieces that split a keyword from its table across constants, and
 * the second table of a comma join ({@code FROM a, b}); this code base writes neither.
 */
public final class OwnTablesOnly extends ArchCondition<JavaClass> {

    private static final Pattern TABLE_REFERENCE = Pattern.compile(
            "(?i)\\b(?:FROM|JOIN|INTO|UPDATE|TABLE|TRUNCATE)\\s+(?:TABLE\\s+)?(?:ONLY\\s+)?"
                    + "(?:IF\\s+(?:NOT\\s+)?EXISTS\\s+)?(?:public\\.)?\"?([a-z_][a-z0-9_]*)");

    private final Map<String, String> owners;
    private final Function<JavaClass, String> moduleOf;
    private final Map<String, Set<String>> exceptions;

    /**
     * @param owners     table -> owning module
     * @param moduleOf   a class's module
     * @param exceptions class name -> foreign tables it may still name (temporary, each with its issue)
     */
    public OwnTablesOnly(Map<String, String> owners, Function<JavaClass, String> moduleOf,
                         Map<String, Set<String>> exceptions) {
        super("name in SQL only tables owned by their own module");
        this.owners = owners;
        this.moduleOf = moduleOf;
        this.exceptions = exceptions;
    }

    /** The tables of the ownership map that this text names as a table. */
    Set<String> tablesIn(String text) {
        Set<String> tables = new TreeSet<>();
        Matcher m = TABLE_REFERENCE.matcher(text);
        while (m.find()) {
            String name = m.group(1).toLowerCase(Locale.ROOT);
            if (owners.containsKey(name)) {
                tables.add(name);
            }
        }
        return tables;
    }

    @Override
    public void check(JavaClass type, ConditionEvents events) {
        if (type.getSource().isEmpty()) {
            return;
        }
        String module = moduleOf.apply(type);
        Set<String> allowed = exceptions.getOrDefault(type.getName(), Set.of());
        for (String constant : ClassFileStrings.of(type.getSource().get().getUri())) {
            for (String table : tablesIn(constant)) {
                String owner = owners.get(table);
                boolean satisfied = owner.equals(module) || allowed.contains(table);
                String message = "%s (%s) names table %s, owned by %s, in \"%s\"".formatted(
                        type.getName(), module, table, owner, abbreviate(constant));
                events.add(new SimpleConditionEvent(type, satisfied, message));
            }
        }
    }

    private static String abbreviate(String sql) {
        String flat = sql.replaceAll("\\s+", " ").strip();
        return flat.length() <= 160 ? flat : flat.substring(0, 157) + "...";
    }
}
