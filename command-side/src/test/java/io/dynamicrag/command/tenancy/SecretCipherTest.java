package io.dynamicrag.command.tenancy;

import io.dynamicrag.kernel.ids.TenantId;
import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretCipherTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private final SecretCipher cipher = new SecretCipher(KEY);
    private final TenantId tenant = TenantId.random();

    @Test
    void shouldRoundTripWithAFreshNonceEachTime() {
        String a = cipher.encrypt(tenant, "sk-test-1234567890abcdef");
        String b = cipher.encrypt(tenant, "sk-test-1234567890abcdef");
        assertThat(a).startsWith("v1:").isNotEqualTo(b).doesNotContain("sk-test");
        assertThat(cipher.decrypt(tenant, a)).isEqualTo("sk-test-1234567890abcdef");
    }

    @Test
    void shouldNotDecryptForAnotherTenantOrWithAnotherKey() {
        String sealed = cipher.encrypt(tenant, "sk-test-1234567890abcdef");
        assertThatThrownBy(() -> cipher.decrypt(TenantId.random(), sealed)).isInstanceOf(IllegalStateException.class);
        byte[] other = new byte[32];
        other[0] = 1;
        assertThatThrownBy(() -> new SecretCipher(Base64.getEncoder().encodeToString(other)).decrypt(tenant, sealed))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldRefuseAKeyThatIsNotAes256() {
        assertThatThrownBy(() -> new SecretCipher(Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("32 bytes");
    }

    @Test
    void shouldMaskAllButTheEnds() {
        assertThat(SecretCipher.mask("sk-proj-abcdefghijklmnop1234")).isEqualTo("sk-…1234");
        assertThat(SecretCipher.mask("short")).isEqualTo("…");
    }
}
