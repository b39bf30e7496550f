package io.dynamicrag.processing.storage;

import io.dynamicrag.kernel.storage.BlobStore;
import io.dynamicrag.kernel.storage.StorageUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Blob storage in an S3 bucket (AWS or any S3-compatible server), through the AWS SDK v2 synchronous client.
 *
 * <ul>
 *   <li>Keys are validated like {@link FileSystemBlobStore} (no {@code ..}, no leading {@code /}, no backslash).</li>
 *   <li>Prefixes are whole path segments, as on the file system: {@code deletePrefix("…/d1")} deletes the object
 *       {@code …/d1} and everything under {@code …/d1/}, never {@code …/d10/…}. Deletion lists page by page and
 *       deletes in batches of 1000 (the DeleteObjects maximum).</li>
 *   <li>{@link #presignUpload} returns an S3 presigned PUT URL with the content type signed: the client must send
 *       exactly the returned headers.</li>
 *   <li>Every SDK failure becomes a {@link StorageUnavailableException} (the server could not be reached, or
 *       answered 5xx: temporary) or an {@link IllegalStateException} (S3 answered with a 4xx error), naming the
 *       key and the bucket; no message carries credentials.</li>
 * </ul>
 * With an endpoint override (an S3-compatible server) checksums are sent only where S3 requires them: several
 * S3-compatible servers reject the SDK's default trailing checksums. Against AWS the SDK's defaults apply.
 */
public class S3BlobStore implements BlobStore, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(S3BlobStore.class);
    /** The most keys one DeleteObjects request may carry. */
    static final int DELETE_BATCH = 1000;
    /** The longest lifetime S3 accepts for a SigV4 presigned URL. */
    private static final Duration MAX_PRESIGN_TTL = Duration.ofDays(7);
    private static final int MAX_KEY_BYTES = 1024;
    private static final String OCTET_STREAM = "application/octet-stream";

    private final S3Client client;
    private final S3Presigner presigner;
    private final String bucket;
    private final AutoCloseable credentials;

    /** Uses the given client and presigner (they stay the caller's to close). */
    public S3BlobStore(S3Client client, S3Presigner presigner, String bucket) {
        this(client, presigner, bucket, null);
    }

    private S3BlobStore(S3Client client, S3Presigner presigner, String bucket, AutoCloseable credentials) {
        this.client = Objects.requireNonNull(client, "client");
        this.presigner = Objects.requireNonNull(presigner, "presigner");
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("The S3 bucket (rag.storage.s3.bucket / S3_BUCKET) must be set");
        }
        this.bucket = bucket;
        this.credentials = credentials;
    }

    /**
     * Builds the client and presigner from the settings and, when {@link Settings#createBucket()} is set, creates
     * the bucket if it is missing (so a wrong endpoint or credentials fail at start-up, not on the first upload).
     * The returned store owns the client and presigner: {@link #close()} it.
     */
    @SuppressWarnings("deprecation") // ApacheHttpClient: the module depends on apache-client; apache5-client is its successor
    public static S3BlobStore create(Settings settings) {
        Objects.requireNonNull(settings, "settings");
        Region region = Region.of(settings.region());
        URI endpoint = settings.endpointUri();
        AwsCredentialsProvider credentials = settings.credentialsProvider();
        S3Configuration serviceConfiguration = S3Configuration.builder()
                .pathStyleAccessEnabled(settings.pathStyle())
                .build();

        // explicit: with several HTTP clients on the class path the SDK refuses to guess
        S3ClientBuilder clientBuilder = S3Client.builder()
                .httpClientBuilder(ApacheHttpClient.builder())
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(serviceConfiguration);
        S3Presigner.Builder presignerBuilder = S3Presigner.builder()
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(serviceConfiguration);
        if (endpoint != null) {
            clientBuilder.endpointOverride(endpoint)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
            presignerBuilder.endpointOverride(endpoint);
        }
        S3Client client = clientBuilder.build();
        S3Presigner presigner = presignerBuilder.build();
        S3BlobStore store = new S3BlobStore(client, presigner, settings.bucket(),
                credentials instanceof AutoCloseable closeable ? closeable : null);
        try {
            if (settings.createBucket()) {
                store.ensureBucket(settings.region());
            }
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        log.info("Blob storage: S3 bucket {} at {} ({} credentials)", settings.bucket(),
                endpoint == null ? "AWS " + region.id() : endpoint,
                settings.hasStaticCredentials() ? "configured" : "default-chain");
        return store;
    }

    /** Creates the bucket unless it exists (and is reachable with these credentials). */
    public void ensureBucket(String region) {
        try {
            client.headBucket(b -> b.bucket(bucket));
            return;
        } catch (NoSuchBucketException e) {
            // create it below
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw failure("Could not check S3 bucket " + bucket, e);
            }
        } catch (SdkException e) {
            throw failure("Could not check S3 bucket " + bucket, e);
        }
        try {
            CreateBucketRequest.Builder request = CreateBucketRequest.builder().bucket(bucket);
            if (region != null && !region.isBlank() && !Region.US_EAST_1.id().equals(region)) {
                request.createBucketConfiguration(c -> c.locationConstraint(region));
            }
            client.createBucket(request.build());
            log.info("Created S3 bucket {}", bucket);
        } catch (BucketAlreadyOwnedByYouException e) {
            // created concurrently by another node: fine
        } catch (BucketAlreadyExistsException e) {
            throw new IllegalStateException("S3 bucket " + bucket + " belongs to another account: choose another"
                    + " name (rag.storage.s3.bucket / S3_BUCKET)", e);
        } catch (SdkException e) {
            throw failure("Could not create S3 bucket " + bucket, e);
        }
    }

    @Override
    public void put(String key, byte[] content) {
        Objects.requireNonNull(content, "content");
        upload(key, RequestBody.fromBytes(content), OCTET_STREAM);
    }

    @Override
    public void put(String key, InputStream content, long length, String contentType) {
        Objects.requireNonNull(content, "content");
        if (length < 0) {
            throw new IllegalArgumentException("The length of blob " + key + " must not be negative");
        }
        upload(key, RequestBody.fromInputStream(content, length),
                contentType == null || contentType.isBlank() ? OCTET_STREAM : contentType);
    }

    private void upload(String key, RequestBody body, String contentType) {
        checkKey(key);
        try {
            client.putObject(PutObjectRequest.builder().bucket(bucket).key(key).contentType(contentType).build(), body);
        } catch (SdkException e) {
            throw failure("Could not store blob " + key + " in S3 bucket " + bucket, e);
        } catch (UncheckedIOException | IllegalStateException e) {
            if (cannotResend(e)) {
                // the connection broke while the body was on its way (the server went away: issue 15's S3 drill
                // answered 500 for these), and the SDK cannot send a plain stream a second time: temporary
                throw new StorageUnavailableException("Could not store blob " + key + " in S3 bucket " + bucket
                        + ": the connection failed while the body was being sent", new IOException(e.getMessage(), e));
            }
            // the SDK reports a body shorter than its declared length (or a failing stream) this way
            throw new IllegalStateException("Could not store blob " + key + " in S3 bucket " + bucket + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        checkKey(key);
        try {
            return Optional.of(client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            if (isNotFound(e)) {
                return Optional.empty();
            }
            throw failure("Could not read blob " + key + " from S3 bucket " + bucket, e);
        }
    }

    @Override
    public Optional<InputStream> open(String key) {
        checkKey(key);
        try {
            return Optional.of(new AbortingStream(client.getObject(b -> b.bucket(bucket).key(key))));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            if (isNotFound(e)) {
                return Optional.empty();
            }
            throw failure("Could not open blob " + key + " in S3 bucket " + bucket, e);
        }
    }

    @Override
    public Optional<Long> size(String key) {
        checkKey(key);
        try {
            return Optional.of(client.headObject(b -> b.bucket(bucket).key(key)).contentLength());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            if (isNotFound(e)) {
                return Optional.empty();
            }
            throw failure("Could not read the size of blob " + key + " in S3 bucket " + bucket, e);
        }
    }

    @Override
    public int deletePrefix(String prefix) {
        checkKey(prefix);
        String directory = prefix.endsWith("/") ? prefix : prefix + "/";
        List<ObjectIdentifier> batch = new ArrayList<>(DELETE_BATCH);
        int deleted = 0;
        try {
            if (!prefix.endsWith("/") && size(prefix).isPresent()) {
                batch.add(ObjectIdentifier.builder().key(prefix).build());
            }
            for (S3Object object : client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(directory)).contents()) {
                batch.add(ObjectIdentifier.builder().key(object.key()).build());
                if (batch.size() == DELETE_BATCH) {
                    deleted += deleteBatch(prefix, batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                deleted += deleteBatch(prefix, batch);
            }
            return deleted;
        } catch (SdkException e) {
            throw failure("Could not delete blobs under " + prefix + " in S3 bucket " + bucket
                    + " (" + deleted + " deleted before the failure)", e);
        }
    }

    private int deleteBatch(String prefix, List<ObjectIdentifier> batch) {
        DeleteObjectsResponse response = client.deleteObjects(b -> b.bucket(bucket)
                .delete(d -> d.objects(batch).quiet(true)));
        List<S3Error> errors = response.errors();
        if (!errors.isEmpty()) {
            S3Error first = errors.get(0);
            throw new IllegalStateException("Could not delete " + errors.size() + " of " + batch.size()
                    + " blobs under " + prefix + " in S3 bucket " + bucket + ", e.g. " + first.key() + ": "
                    + first.code());
        }
        return batch.size();
    }

    /**
     * An S3 presigned PUT URL for the key. The content type is part of the signature, so the returned headers
     * ({@code Content-Type} and any other signed header except {@code Host}) must be sent with the PUT.
     */
    @Override
    public PresignedUpload presignUpload(String key, String contentType, Duration ttl) {
        checkKey(key);
        if (contentType == null || contentType.isBlank()) {
            throw new IllegalArgumentException("A content type is required to presign an upload");
        }
        if (ttl == null || ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_PRESIGN_TTL) > 0) {
            throw new IllegalArgumentException("An S3 presigned URL must live more than 0 s and at most 7 days");
        }
        try {
            PresignedPutObjectRequest presigned = presigner.presignPutObject(p -> p
                    .signatureDuration(ttl)
                    .putObjectRequest(r -> r.bucket(bucket).key(key).contentType(contentType)));
            Map<String, String> headers = new LinkedHashMap<>();
            presigned.signedHeaders().forEach((name, values) -> {
                if (!"host".equalsIgnoreCase(name)) {
                    headers.put(canonicalHeaderName(name), String.join(",", values));
                }
            });
            return new PresignedUpload(presigned.url().toString(), Map.copyOf(headers), presigned.expiration());
        } catch (SdkException e) {
            throw failure("Could not presign an upload of blob " + key + " to S3 bucket " + bucket, e);
        }
    }

    @Override
    public void close() {
        presigner.close();
        client.close();
        if (credentials != null) {
            try {
                credentials.close();
            } catch (Exception e) {
                log.debug("Closing the S3 credentials provider failed", e);
            }
        }
    }

    /** Same rules as the file-system store, plus S3's own limit on key length. */
    private static void checkKey(String key) {
        if (key == null || key.isBlank() || key.startsWith("/") || key.contains("..") || key.contains("\\")
                || key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("Invalid blob key");
        }
    }

    /** The SDK's retry after a failed attempt found the request's stream already read and not resettable. */
    private static boolean cannotResend(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && cause.getMessage().contains("does not support mark/reset")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isNotFound(SdkException e) {
        return e instanceof S3Exception s3 && s3.statusCode() == 404
                && !(e instanceof NoSuchBucketException)
                && !"NoSuchBucket".equals(s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode());
    }

    /** A clear message (operation, key, bucket, S3's status and code) and never a credential. */
    private static RuntimeException failure(String what, SdkException e) {
        if (e instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            String message = what + ": S3 answered " + s3.statusCode() + (code == null ? "" : " " + code);
            // 5xx (InternalError, SlowDown, ServiceUnavailable) passes; a 4xx is this request's or configuration's
            return s3.statusCode() >= 500
                    ? new StorageUnavailableException(message, new IOException(message, e))
                    : new IllegalStateException(message, e);
        }
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof SdkClientException) {
            // the server could not be reached (refused, reset, timed out) even after the SDK's own retries
            return new StorageUnavailableException(what + ": " + detail, new IOException(detail, e));
        }
        return new IllegalStateException(what + ": " + detail, e);
    }

    private static String canonicalHeaderName(String name) {
        return "content-type".equalsIgnoreCase(name) ? "Content-Type" : name;
    }

    /** Aborts the HTTP connection when closed before the end, instead of downloading the rest to reuse it. */
    private static final class AbortingStream extends FilterInputStream {

        private final ResponseInputStream<GetObjectResponse> response;
        private boolean ended;

        AbortingStream(ResponseInputStream<GetObjectResponse> response) {
            super(response);
            this.response = response;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            ended |= b < 0;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            ended |= n < 0;
            return n;
        }

        @Override
        public void close() throws IOException {
            if (!ended) {
                response.abort();
            }
            super.close();
        }
    }

    /**
     * How to reach the bucket. {@code endpoint} is empty for AWS, else an S3-compatible server's URL; static
     * credentials are used when both keys are set (with the session token when given), else the SDK's default
     * chain (environment, profile, container or instance role).
     */
    public record Settings(String bucket, String region, String endpoint, boolean pathStyle, String accessKey,
                           String secretKey, String sessionToken, boolean createBucket) {

        public Settings {
            if (bucket == null || bucket.isBlank()) {
                throw new IllegalArgumentException("The S3 bucket (rag.storage.s3.bucket / S3_BUCKET) must be set");
            }
            if (region == null || region.isBlank()) {
                throw new IllegalArgumentException("The S3 region (rag.storage.s3.region / AWS_REGION) must be set");
            }
            if (isSet(accessKey) != isSet(secretKey)) {
                throw new IllegalArgumentException("Set both rag.storage.s3.access-key and rag.storage.s3.secret-key"
                        + " (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY) or neither");
            }
        }

        boolean hasStaticCredentials() {
            return isSet(accessKey);
        }

        URI endpointUri() {
            if (!isSet(endpoint)) {
                return null;
            }
            URI uri;
            try {
                uri = URI.create(endpoint.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("rag.storage.s3.endpoint (S3_ENDPOINT) is not a URL");
            }
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("rag.storage.s3.endpoint (S3_ENDPOINT) must be like http://host:port");
            }
            return uri;
        }

        AwsCredentialsProvider credentialsProvider() {
            if (!hasStaticCredentials()) {
                return DefaultCredentialsProvider.builder().build();
            }
            return StaticCredentialsProvider.create(isSet(sessionToken)
                    ? AwsSessionCredentials.create(accessKey, secretKey, sessionToken)
                    : AwsBasicCredentials.create(accessKey, secretKey));
        }

        private static boolean isSet(String value) {
            return value != null && !value.isBlank();
        }

        /** Never prints the secret key or the session token. */
        @Override
        public String toString() {
            return "Settings[bucket=" + bucket + ", region=" + region + ", endpoint=" + endpoint + ", pathStyle="
                    + pathStyle + ", accessKey=" + (isSet(accessKey) ? "(set)" : "(default chain)")
                    + ", secretKey=" + (isSet(secretKey) ? "****" : "") + ", createBucket=" + createBucket + "]";
        }
    }
}
