package io.dynamicrag.processing.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decides which addresses the service may open outbound connections to (URL ingestion today, webhook callbacks
 * later): guards against server-side request forgery into the host, the cloud metadata service and private
 * networks.
 *
 * <p>Refused by default: loopback, unspecified/any-local, link-local (incl. 169.254.169.254), private/site-local,
 * IPv6 unique-local, carrier-grade NAT, multicast, broadcast, 0/8, 240/4, benchmarking, documentation and other
 * special-purpose ranges, and everything in IPv6 outside global unicast {@code 2000::/3}. IPv6 forms that carry an
 * IPv4 address (IPv4-mapped {@code ::ffff:a.b.c.d}, IPv4-compatible {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::/96},
 * 6to4 {@code 2002::/16}) are judged by the IPv4 address inside them.
 *
 * <p>An explicit allow-list of CIDRs or single IP addresses (configuration, empty by default) overrides the refusal
 * for exactly the addresses it covers; tests use {@code 127.0.0.1/32}. Host names are not accepted there: an allow
 * entry must not depend on DNS.
 *
 * <p>{@link #resolveAllowed(String)} is the reusable guard for any HTTP client: it resolves a host once and returns
 * its addresses only if every one of them is allowed, so a client that connects to exactly those addresses cannot
 * be redirected by DNS rebinding between the check and the connection.
 */
public final class OutboundAddressPolicy {

    /** Name resolution, replaceable in tests. */
    @FunctionalInterface
    public interface HostResolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private static final String LOOPBACK = "a loopback address";
    private static final String PRIVATE = "a private address";
    private static final String LINK_LOCAL = "a link-local address";
    private static final String MULTICAST = "a multicast address";
    private static final String DOCUMENTATION = "a documentation address";
    private static final String BENCHMARKING = "a benchmarking address";

    /** Checked in order; the first match names the reason. */
    private static final List<Rule> IPV4_RULES = List.of(
            rule("0.0.0.0/32", "an unspecified (any-local) address"),
            rule("0.0.0.0/8", "a 'this network' address (0.0.0.0/8)"),
            rule("127.0.0.0/8", LOOPBACK),
            rule("10.0.0.0/8", PRIVATE),
            rule("172.16.0.0/12", PRIVATE),
            rule("192.168.0.0/16", PRIVATE),
            rule("100.64.0.0/10", "a shared carrier-grade NAT address (100.64.0.0/10)"),
            rule("169.254.0.0/16", LINK_LOCAL),
            rule("192.0.0.0/24", "an IETF protocol assignment address (192.0.0.0/24)"),
            rule("192.0.2.0/24", DOCUMENTATION),
            rule("198.51.100.0/24", DOCUMENTATION),
            rule("203.0.113.0/24", DOCUMENTATION),
            rule("198.18.0.0/15", BENCHMARKING),
            rule("192.88.99.0/24", "a 6to4 relay anycast address (192.88.99.0/24)"),
            rule("224.0.0.0/4", MULTICAST),
            rule("255.255.255.255/32", "the broadcast address"),
            rule("240.0.0.0/4", "a reserved address (240.0.0.0/4)"));

    private static final List<Rule> IPV6_RULES = List.of(
            rule("::/128", "an unspecified (any-local) address"),
            rule("::1/128", LOOPBACK),
            rule("64:ff9b:1::/48", "a local-use NAT64 address"),
            rule("100::/64", "a discard-only address (100::/64)"),
            rule("2001:2::/48", BENCHMARKING),
            rule("2001:db8::/32", DOCUMENTATION),
            rule("3fff::/20", DOCUMENTATION),
            rule("2001::/32", "a Teredo tunnelling address"),
            rule("2001:10::/28", "a reserved ORCHID address"),
            rule("2001:20::/28", "a reserved ORCHID address"),
            rule("fc00::/7", "a unique-local (private) address"),
            rule("fe80::/10", LINK_LOCAL),
            rule("fec0::/10", "a site-local (private) address"),
            rule("ff00::/8", MULTICAST));

    private static final Cidr GLOBAL_UNICAST_V6 = Cidr.parse("2000::/3");
    // built from bytes: the JDK parses "::ffff:0:0" as the IPv4 address 0.0.0.0
    private static final Cidr IPV4_MAPPED = new Cidr(
            new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0}, 96);
    private static final Cidr IPV4_COMPATIBLE = Cidr.parse("::/96");
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

    private final List<Cidr> allowed;
    private final HostResolver resolver;

    /** @param allowedCidrs CIDRs ({@code 127.0.0.1/32}, {@code ::1/128}) or single IP addresses to permit anyway */
    public OutboundAddressPolicy(List<String> allowedCidrs) {
        this(allowedCidrs, InetAddress::getAllByName);
    }

    public OutboundAddressPolicy(List<String> allowedCidrs, HostResolver resolver) {
        List<Cidr> parsed = new ArrayList<>();
        for (String entry : allowedCidrs == null ? List.<String>of() : allowedCidrs) {
            if (entry != null && !entry.isBlank()) {
                parsed.add(Cidr.parse(entry.trim()));
            }
        }
        this.allowed = List.copyOf(parsed);
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** The production default: nothing allowed beyond public addresses. */
    public static OutboundAddressPolicy defaults() {
        return new OutboundAddressPolicy(List.of());
    }

    /** The allow-list entries, normalised (e.g. {@code 127.0.0.1/32}). */
    public List<String> allowedCidrs() {
        return allowed.stream().map(Cidr::toString).toList();
    }

    public boolean isAllowed(InetAddress address) {
        return refusalReason(address).isEmpty();
    }

    /**
     * Why the address must not be contacted, as a phrase that completes "X is ...", e.g. {@code a link-local
     * address}; empty when it may be contacted (public, or covered by the allow-list).
     */
    public Optional<String> refusalReason(InetAddress address) {
        Objects.requireNonNull(address, "address");
        byte[] bytes = normaliseMapped(address.getAddress());
        for (Cidr cidr : allowed) {
            if (cidr.contains(bytes)) {
                return Optional.empty();
            }
        }
        return classify(bytes);
    }

    /** Throws {@link FetchRefusedException} naming the rule when {@code address} (of {@code host}) is refused. */
    public void requireAllowed(String host, InetAddress address) {
        Optional<String> reason = refusalReason(address);
        if (reason.isEmpty()) {
            return;
        }
        String shownHost = stripBrackets(host);
        if (shownHost == null || shownHost.isEmpty() || isIpLiteral(shownHost)) {
            String shown = shownHost == null || shownHost.isEmpty() ? format(address) : shownHost;
            throw new FetchRefusedException("refused: " + shown + " is " + reason.get());
        }
        throw new FetchRefusedException("refused: " + shownHost + " resolves to " + format(address) + ", which is "
                + reason.get());
    }

    /**
     * Resolves {@code host} once and returns its addresses if, and only if, every one of them is allowed; a host
     * with any refused address is refused as a whole (a mixed answer is a rebinding trick, not a reason to pick
     * the good half). Connect only to the returned addresses, never re-resolve.
     *
     * @throws FetchRefusedException naming the first refused address and the rule
     * @throws UnknownHostException when the name does not resolve
     */
    public InetAddress[] resolveAllowed(String host) throws UnknownHostException {
        String name = stripBrackets(host);
        if (name == null || name.isEmpty()) {
            throw new FetchRefusedException("refused: the URL has no host name");
        }
        InetAddress[] addresses = resolver.resolve(name);
        if (addresses == null || addresses.length == 0) {
            throw new UnknownHostException(name);
        }
        for (InetAddress address : addresses) {
            requireAllowed(name, address);
        }
        return addresses.clone();
    }

    /** The address {@code host} denotes when it is an IP literal (no DNS involved), else empty. */
    public static Optional<InetAddress> literalAddress(String host) {
        String name = stripBrackets(host);
        if (name == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(parseLiteral(name));
    }

    /** Parses an IPv4 dotted-quad or IPv6 literal without ever consulting DNS; null when it is neither. */
    private static InetAddress parseLiteral(String text) {
        try {
            if (IPV4_LITERAL.matcher(text).matches()) {
                String[] parts = text.split("\\.");
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int octet = Integer.parseInt(parts[i]);
                    if (octet > 255) {
                        return null;
                    }
                    bytes[i] = (byte) octet;
                }
                return InetAddress.getByAddress(bytes);
            }
            if (IPV6_LITERAL.matcher(text).matches()) {
                // text with a colon is always parsed as a literal by the JDK, never looked up
                return InetAddress.getByName(text);
            }
        } catch (UnknownHostException | NumberFormatException e) {
            return null;
        }
        return null;
    }

    static boolean isIpLiteral(String host) {
        return IPV4_LITERAL.matcher(host).matches() || IPV6_LITERAL.matcher(host).matches();
    }

    private static String stripBrackets(String host) {
        if (host != null && host.length() >= 2 && host.startsWith("[") && host.endsWith("]")) {
            return host.substring(1, host.length() - 1);
        }
        return host;
    }

    private static Optional<String> classify(byte[] bytes) {
        if (bytes.length == 4) {
            return firstMatch(IPV4_RULES, bytes);
        }
        Optional<String> specific = firstMatch(IPV6_RULES, bytes);
        if (specific.isPresent()) {
            return specific;
        }
        byte[] embedded = null;
        String form = null;
        if (IPV4_COMPATIBLE.contains(bytes)) {
            embedded = Arrays.copyOfRange(bytes, 12, 16);
            form = "IPv4-compatible";
        } else if (NAT64.contains(bytes)) {
            embedded = Arrays.copyOfRange(bytes, 12, 16);
            form = "NAT64";
        } else if (SIX_TO_FOUR.contains(bytes)) {
            embedded = Arrays.copyOfRange(bytes, 2, 6);
            form = "6to4";
        }
        if (embedded != null) {
            String inner = format(embedded);
            String kind = form;
            return firstMatch(IPV4_RULES, embedded).map(reason -> reason + " (" + kind + " form of " + inner + ")");
        }
        if (!GLOBAL_UNICAST_V6.contains(bytes)) {
            return Optional.of("a reserved address (outside IPv6 global unicast 2000::/3)");
        }
        return Optional.empty();
    }

    private static Optional<String> firstMatch(List<Rule> rules, byte[] bytes) {
        for (Rule rule : rules) {
            if (rule.cidr().contains(bytes)) {
                return Optional.of(rule.reason());
            }
        }
        return Optional.empty();
    }

    /**
     * {@code ::ffff:a.b.c.d} is the IPv4 address a.b.c.d for every purpose, including the allow-list. (The JDK
     * already returns an Inet4Address when it parses that text, but an Inet6Address built from raw bytes keeps the
     * mapped form.)
     */
    private static byte[] normaliseMapped(byte[] bytes) {
        if (bytes.length == 16 && IPV4_MAPPED.contains(bytes)) {
            return Arrays.copyOfRange(bytes, 12, 16);
        }
        return bytes;
    }

    static String format(InetAddress address) {
        return format(address.getAddress());
    }

    /** Dotted IPv4, or compressed IPv6 ({@code fe80::1}) for messages. */
    static String format(byte[] bytes) {
        if (bytes.length == 4) {
            return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    private static Rule rule(String cidr, String reason) {
        return new Rule(Cidr.parse(cidr), reason);
    }

    private record Rule(Cidr cidr, String reason) {
    }

    /** A network prefix over raw address bytes (4 for IPv4, 16 for IPv6). */
    private record Cidr(byte[] network, int prefixLength) {

        static Cidr parse(String text) {
            String literal = text;
            Integer prefix = null;
            int slash = text.indexOf('/');
            if (slash >= 0) {
                literal = text.substring(0, slash);
                try {
                    prefix = Integer.parseInt(text.substring(slash + 1).trim());
                } catch (NumberFormatException e) {
                    throw invalid(text);
                }
            }
            InetAddress address = parseLiteral(stripBrackets(literal.trim()));
            if (address == null) {
                throw invalid(text);
            }
            byte[] bytes = address.getAddress();
            int bits = bytes.length * 8;
            if (prefix == null) {
                prefix = bits;
            } else if (bytes.length == 4 && literal.contains(":")) {
                prefix -= 96; // ::ffff:a.b.c.d/128 was parsed as the IPv4 address a.b.c.d
            }
            if (prefix < 0 || prefix > bits) {
                throw invalid(text);
            }
            return new Cidr(mask(bytes, prefix), prefix);
        }

        private static IllegalArgumentException invalid(String text) {
            return new IllegalArgumentException("'" + text + "' is not an IP address or CIDR (e.g. 127.0.0.1/32)");
        }

        private static byte[] mask(byte[] bytes, int prefix) {
            byte[] out = bytes.clone();
            for (int i = 0; i < out.length; i++) {
                int keep = Math.max(0, Math.min(8, prefix - i * 8));
                out[i] = (byte) (out[i] & (0xff << (8 - keep)));
            }
            return out;
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            return Arrays.equals(mask(address, prefixLength), network);
        }

        @Override
        public String toString() {
            return format(network) + "/" + prefixLength;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Cidr that && that.prefixLength == prefixLength
                    && Arrays.equals(that.network, network);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(network) + prefixLength;
        }
    }
}
