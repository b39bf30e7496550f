package io.dynamicrag.processing.index;

import io.dynamicrag.kernel.ids.TenantId;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;

/**
 * A record of every write to a tenant's Lance datasets, when {@code rag.cluster.write-log-dir} is set: one file per
 * node ({@code <dir>/<node>.log}), a {@code B} line when a write begins and an {@code E} line when it ends, each with
 * the wall-clock milliseconds, the tenant and the operation. The lines are written straight to the file (no buffer),
 * so a node killed mid-write leaves its {@code B} line behind. Tests and drills read these files to show that no two
 * nodes wrote one tenant's datasets at overlapping times.
 */
public interface TenantWriteLog {

    TenantWriteLog OFF = (tenant, operation) -> () -> { };

    /** Records the beginning of a write; closing the result records its end. */
    Span begin(TenantId tenant, String operation);

    /** A write in progress. */
    interface Span extends AutoCloseable {
        @Override
        void close();
    }

    /** The log of node {@code node} under {@code directory}. */
    static TenantWriteLog toFile(Path directory, String node) {
        Path file = directory.resolve(node + ".log");
        try {
            Files.createDirectories(directory);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            return new TenantWriteLog() {
                @Override
                public Span begin(TenantId tenant, String operation) {
                    append("B", node, tenant, operation);
                    return () -> append("E", node, tenant, operation);
                }

                private synchronized void append(String mark, String node, TenantId tenant, String operation) {
                    String line = mark + ' ' + System.currentTimeMillis() + ' ' + node + ' ' + tenant + ' '
                            + operation.replace(' ', '_') + ' ' + Thread.currentThread().getId() + '\n';
                    try {
                        channel.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot append to the write log " + file, e);
                    }
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the write log " + file, e);
        }
    }
}
