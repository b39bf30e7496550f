package io.dynamicrag.processing.fetch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutboundAddressPolicyTest {

    private final OutboundAddressPolicy defaults = OutboundAddressPolicy.defaults();

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.1               | a loopback address
            127.255.255.254         | a loopback address
            ::1                     | a loopback address
            0.0.0.0                 | an unspecified (any-local) address
            ::                      | an unspecified (any-local) address
            0.1.2.3                 | a 'this network' address (0.0.0.0/8)
            169.254.169.254         | a link-local address
            169.254.0.1             | a link-local address
            fe80::1                 | a link-local address
            febf:ffff::1            | a link-local address
            10.0.0.1                | a private address
            10.255.255.255          | a private address
            172.16.0.1              | a private address
            172.31.255.255          | a private address
            192.168.0.1             | a private address
            192.168.255.255         | a private address
            fc00::1                 | a unique-local (private) address
            fd12:3456:789a::1       | a unique-local (private) address
            fec0::1                 | a site-local (private) address
            100.64.0.1              | a shared carrier-grade NAT address (100.64.0.0/10)
            100.127.255.255         | a shared carrier-grade NAT address (100.64.0.0/10)
            224.0.0.1               | a multicast address
            239.255.255.250         | a multicast address
            ff02::1                 | a multicast address
            ff0e::1                 | a multicast address
            255.255.255.255         | the broadcast address
            240.0.0.1               | a reserved address (240.0.0.0/4)
            254.1.2.3               | a reserved address (240.0.0.0/4)
            198.18.0.1              | a benchmarking address
            198.19.255.255          | a benchmarking address
            2001:2::1               | a benchmarking address
            192.0.2.1               | a documentation address
            198.51.100.7            | a documentation address
            203.0.113.9             | a documentation address
            2001:db8::1             | a documentation address
            3fff::1                 | a documentation address
            192.0.0.8               | an IETF protocol assignment address (192.0.0.0/24)
            192.88.99.1             | a 6to4 relay anycast address (192.88.99.0/24)
            100::1                  | a discard-only address (100::/64)
            2001::1                 | a Teredo tunnelling address
            64:ff9b:1::1            | a local-use NAT64 address
            ::127.0.0.1             | a loopback address (IPv4-compatible form of 127.0.0.1)
            ::10.0.0.1              | a private address (IPv4-compatible form of 10.0.0.1)
            64:ff9b::a9fe:a9fe      | a link-local address (NAT64 form of 169.254.169.254)
            2002:7f00:1::           | a loopback address (6to4 form of 127.0.0.1)
            2002:c0a8:101::1        | a private address (6to4 form of 192.168.1.1)
            4000::1                 | a reserved address (outside IPv6 global unicast 2000::/3)
            """)
    void refusesSpecialPurposeAddresses(String literal, String reason) throws Exception {
        InetAddress address = InetAddress.getByName(literal);

        assertThat(defaults.refusalReason(address)).contains(reason);
        assertThat(defaults.isAllowed(address)).isFalse();
    }

    @ParameterizedTest(name = "::ffff:{0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.1       | a loopback address
            169.254.169.254 | a link-local address
            10.0.0.1        | a private address
            192.168.1.1     | a private address
            100.64.0.1      | a shared carrier-grade NAT address (100.64.0.0/10)
            0.0.0.0         | an unspecified (any-local) address
            224.0.0.1       | a multicast address
            """)
    void refusesIpv4MappedIpv6FormsAsTheirIpv4Address(String ipv4, String reason) throws Exception {
        // built from raw bytes: the JDK keeps it an Inet6Address (parsing the text would yield an Inet4Address)
        InetAddress mapped = mapped(ipv4);
        assertThat(mapped).isInstanceOf(Inet6Address.class);

        assertThat(defaults.refusalReason(mapped)).contains(reason);
        assertThat(defaults.refusalReason(InetAddress.getByName("::ffff:" + ipv4))).contains(reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "2606:2800:220:1::", "8.8.8.8", "1.1.1.1", "172.32.0.1",
            "172.15.255.255", "100.128.0.1", "100.63.255.255", "169.255.0.1", "192.169.0.1", "198.20.0.1",
            "223.255.255.255", "2a00:1450:4001:82b::200e", "64:ff9b::5db8:d822", "2002:5db8:d822::1"})
    void allowsPublicAddresses(String literal) throws Exception {
        InetAddress address = InetAddress.getByName(literal);

        assertThat(defaults.refusalReason(address)).isEmpty();
        assertThat(defaults.isAllowed(address)).isTrue();
    }

    @Test
    void allowsMappedFormOfAPublicAddress() throws Exception {
        assertThat(defaults.isAllowed(mapped("93.184.216.34"))).isTrue();
    }

    @Test
    void allowListPermitsExactlyWhatItLists() throws Exception {
        OutboundAddressPolicy policy = new OutboundAddressPolicy(List.of("127.0.0.1/32"));

        assertThat(policy.isAllowed(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(policy.isAllowed(mapped("127.0.0.1"))).isTrue();
        assertThat(policy.refusalReason(InetAddress.getByName("127.0.0.2"))).contains("a loopback address");
        assertThat(policy.refusalReason(InetAddress.getByName("::1"))).contains("a loopback address");
        assertThat(policy.refusalReason(InetAddress.getByName("169.254.169.254"))).contains("a link-local address");
        assertThat(policy.refusalReason(InetAddress.getByName("10.0.0.1"))).contains("a private address");
        assertThat(policy.isAllowed(InetAddress.getByName("93.184.216.34"))).isTrue();
    }

    @Test
    void allowListAcceptsNetworksSingleAddressesAndIpv6() throws Exception {
        OutboundAddressPolicy policy = new OutboundAddressPolicy(List.of("10.1.2.3/16", " ::1 ", "[fd00::]/8", ""));

        assertThat(policy.allowedCidrs()).containsExactly("10.1.0.0/16", "::1/128", "fd00::/8");
        assertThat(policy.isAllowed(InetAddress.getByName("10.1.200.7"))).isTrue();
        assertThat(policy.isAllowed(InetAddress.getByName("10.2.0.1"))).isFalse();
        assertThat(policy.isAllowed(InetAddress.getByName("::1"))).isTrue();
        assertThat(policy.isAllowed(InetAddress.getByName("127.0.0.1"))).isFalse();
        assertThat(policy.isAllowed(InetAddress.getByName("fd12::1"))).isTrue();
        assertThat(policy.isAllowed(InetAddress.getByName("fc00::1"))).isFalse();
    }

    @Test
    void defaultAllowListIsEmpty() throws Exception {
        assertThat(defaults.allowedCidrs()).isEmpty();
        assertThat(new OutboundAddressPolicy(null).allowedCidrs()).isEmpty();
        assertThat(defaults.isAllowed(InetAddress.getByName("127.0.0.1"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "example.com/32", "10.0.0.0/33", "::1/129", "999.1.1.1", "1.2.3.4/abc",
            "127.1", "1.2.3.4/-1"})
    void rejectsAllowListEntriesThatAreNotAddresses(String entry) {
        assertThatThrownBy(() -> new OutboundAddressPolicy(List.of(entry)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not an IP address or CIDR");
    }

    @Test
    void refusalMessageNamesTheAddressAndTheRule() throws Exception {
        assertThatThrownBy(() -> defaults.requireAllowed("169.254.169.254", InetAddress.getByName("169.254.169.254")))
                .isInstanceOf(FetchRefusedException.class)
                .hasMessage("refused: 169.254.169.254 is a link-local address");
        assertThatThrownBy(() -> defaults.requireAllowed("[::1]", InetAddress.getByName("::1")))
                .hasMessage("refused: ::1 is a loopback address");
    }

    @Test
    void resolvesOnceAndChecksEveryAddress() throws Exception {
        List<String> lookups = new ArrayList<>();
        Map<String, String[]> dns = Map.of(
                "metadata.test", new String[] {"169.254.169.254"},
                "mixed.test", new String[] {"93.184.216.34", "10.0.0.1"},
                "public.test", new String[] {"93.184.216.34", "2606:2800:220:1::"});
        OutboundAddressPolicy policy = new OutboundAddressPolicy(List.of(), host -> {
            lookups.add(host);
            String[] answer = dns.get(host);
            if (answer == null) {
                throw new UnknownHostException(host);
            }
            InetAddress[] addresses = new InetAddress[answer.length];
            for (int i = 0; i < answer.length; i++) {
                addresses[i] = InetAddress.getByName(answer[i]);
            }
            return addresses;
        });

        assertThatThrownBy(() -> policy.resolveAllowed("metadata.test"))
                .isInstanceOf(FetchRefusedException.class)
                .hasMessage("refused: metadata.test resolves to 169.254.169.254, which is a link-local address");
        assertThatThrownBy(() -> policy.resolveAllowed("mixed.test"))
                .isInstanceOf(FetchRefusedException.class)
                .hasMessage("refused: mixed.test resolves to 10.0.0.1, which is a private address");
        assertThat(policy.resolveAllowed("public.test")).extracting(InetAddress::getHostAddress)
                .containsExactly("93.184.216.34", "2606:2800:220:1:0:0:0:0");
        assertThatThrownBy(() -> policy.resolveAllowed("nowhere.test")).isInstanceOf(UnknownHostException.class);
        assertThat(lookups).containsExactly("metadata.test", "mixed.test", "public.test", "nowhere.test");
    }

    @Test
    void literalHostsNeedNoLookup() {
        assertThat(OutboundAddressPolicy.literalAddress("169.254.169.254")).isPresent();
        assertThat(OutboundAddressPolicy.literalAddress("[::ffff:127.0.0.1]")).isPresent();
        assertThat(OutboundAddressPolicy.literalAddress("example.com")).isEmpty();
        assertThat(OutboundAddressPolicy.literalAddress("999.0.0.1")).isEmpty();
        assertThatCode(() -> defaults.resolveAllowed("93.184.216.34")).doesNotThrowAnyException();
        assertThatThrownBy(() -> defaults.resolveAllowed("[::ffff:169.254.169.254]"))
                .hasMessage("refused: ::ffff:169.254.169.254 is a link-local address");
    }

    private static InetAddress mapped(String ipv4) throws UnknownHostException {
        byte[] v4 = InetAddress.getByName(ipv4).getAddress();
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xff;
        bytes[11] = (byte) 0xff;
        System.arraycopy(v4, 0, bytes, 12, 4);
        return Inet6Address.getByAddress(null, bytes, -1);
    }
}
