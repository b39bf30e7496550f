package io.dynamicrag.processing.storage;

import io.dynamicrag.kernel.storage.StorageFullException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 15's disk drill in small: the blob store on a real file system that fills up (a 1 MB tmpfs; mounting one
 * needs root, which CI and the drill machines have). A write that does not fit is reported as
 * {@link StorageFullException} (the API's 507, the pipeline's wait for space), leaves nothing under its key and no
 * temporary file, keeps the blobs already there intact, and the store works again once space is back. Before, the
 * failure was a plain UncheckedIOException that the API answered with a bare 500.
 */
class FileSystemBlobStoreDiskFullTest {

    private static final byte[] TOO_LARGE = new byte[2 * 1024 * 1024];

    @TempDir
    Path temp;
    private Path small;
    private boolean mounted;

    @BeforeEach
    void mountSmallFileSystem() throws Exception {
        small = Files.createDirectory(temp.resolve("small"));
        mounted = run("mount", "-t", "tmpfs", "-o", "size=1m", "rag-test-disk-full", small.toString()) == 0;
        assumeTrue(mounted, "mounting a tmpfs needs root");
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            run("umount", small.toString());
        }
    }

    @Test
    void aWriteThatDoesNotFitIsReportedAsStorageFullAndLeavesNothingBehind() throws IOException {
        FileSystemBlobStore store = new FileSystemBlobStore(small.resolve("blobs"),
                new SignedUploadTokens("0123456789abcdef0123456789abcdef"), "http://localhost:8080");
        byte[] kept = "already stored".getBytes(StandardCharsets.UTF_8);
        store.put("tenants/t/documents/d/raw/kept.txt", kept);

        assertThatThrownBy(() -> store.put("tenants/t/documents/d/v1/chunks.json", TOO_LARGE))
                .isInstanceOf(StorageFullException.class)
                .hasMessageContaining("No space left")
                .hasMessageContaining("tenants/t/documents/d/v1/chunks.json");
        assertThatThrownBy(() -> store.put("tenants/t/documents/d/raw/upload.bin",
                new ByteArrayInputStream(TOO_LARGE), TOO_LARGE.length, "application/octet-stream"))
                .isInstanceOf(StorageFullException.class);

        assertThat(store.get("tenants/t/documents/d/v1/chunks.json")).isEmpty();
        assertThat(store.get("tenants/t/documents/d/raw/upload.bin")).isEmpty();
        assertThat(store.get("tenants/t/documents/d/raw/kept.txt")).contains(kept);
        try (Stream<Path> files = Files.walk(small)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .as("no temporary or partial file is left on the full disk").containsExactly("kept.txt");
        }

        // the failed writes freed what they had taken: space is back and the store works again
        byte[] after = "written once space was back".getBytes(StandardCharsets.UTF_8);
        store.put("tenants/t/documents/d/v1/parsed.txt", after);
        assertThat(store.get("tenants/t/documents/d/v1/parsed.txt")).contains(after);
    }

    private static int run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
