package io.dynamicrag.app.architecture;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The text constants of a class file, read from its constant pool (JVMS 4.4). ArchUnit sees types, members and
 * calls, not string literals, so SQL is invisible to it; javac leaves every literal here: plain strings, text blocks,
 * compile-time concatenations folded into one constant, and the recipe of a run-time concatenation
 * ({@code "SELECT ... FROM t WHERE " + where} becomes the recipe {@code "SELECT ... FROM t WHERE \u0001"}, a
 * bootstrap argument of {@code makeConcatWithConstants}). Every {@code CONSTANT_Utf8} entry is returned, not only
 * those behind a {@code CONSTANT_String}: annotation values (e.g. a {@code @Query("...")}) point at Utf8 entries
 * directly, and names and descriptors never contain the spaces SQL needs, so they cannot match a table reference.
 */
final class ClassFileStrings {

    private ClassFileStrings() {
    }

    static List<String> of(URI classFile) {
        try (InputStream in = classFile.toURL().openStream()) {
            return read(new DataInputStream(new BufferedInputStream(in)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + classFile, e);
        }
    }

    static List<String> read(DataInputStream in) throws IOException {
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort(); // minor version
        in.readUnsignedShort(); // major version
        int count = in.readUnsignedShort();
        List<String> utf8 = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8.add(in.readUTF()); // Utf8: u2 length + modified UTF-8, exactly what readUTF reads
                case 7, 8, 16, 19, 20 -> in.skipNBytes(2); // Class, String, MethodType, Module, Package
                case 15 -> in.skipNBytes(3); // MethodHandle
                // Integer, Float, Field/Method/InterfaceMethod refs, NameAndType, Dynamic, InvokeDynamic
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                case 5, 6 -> { // Long, Double take two entries
                    in.skipNBytes(8);
                    i++;
                }
                default -> throw new IOException("unknown constant pool tag " + tag + " at entry " + i);
            }
        }
        return utf8;
    }
}
