package io.dynamicrag.command.tenancy;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.dynamicrag.command.tenancy.auth.AuthSessions;
import io.dynamicrag.command.tenancy.auth.RefreshCookies;
import io.dynamicrag.command.web.BlockingCommands;
import io.dynamicrag.command.web.Storable;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.tenancy.api.command.RegisterTenantCommand;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.Locale;

@ConditionalOnProperty(name = "rag.roles.api", havingValue = "true", matchIfMissing = true)
@RestController
@RequestMapping("/api/auth")
class SignupController {

    private static final Logger log = LoggerFactory.getLogger(SignupController.class);

    private final BlockingCommands commands;
    private final PasswordEncoder passwordEncoder;
    private final AuthSessions sessions;
    private final RefreshCookies cookies;

    SignupController(BlockingCommands commands, PasswordEncoder passwordEncoder, AuthSessions sessions,
                     RefreshCookies cookies) {
        this.commands = commands;
        this.passwordEncoder = passwordEncoder;
        this.sessions = sessions;
        this.cookies = cookies;
    }

    @PostMapping("/signup")
    @ResponseStatus(HttpStatus.CREATED)
    Mono<SignupResponse> signup(@Valid @RequestBody SignupRequest request, ServerWebExchange exchange) {
        TenantId tenantId = TenantId.random();
        String email = request.email().trim().toLowerCase(Locale.ROOT);
        ApiKeys.NewApiKey apiKey = ApiKeys.generate();
        // BCrypt is deliberately slow: keep it off the event loop.
        return Mono.fromCallable(() -> passwordEncoder.encode(request.password()))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(hash -> commands.send(new RegisterTenantCommand(tenantId, email,
                        request.companyName(), hash, apiKey.hash(), apiKey.displayPrefix())))
                .then(sessions.open(tenantId, email)
                        // the account exists now and its API key is shown only here: a session store that is
                        // down (Redis) must not turn that into an error that loses the key
                        .onErrorResume(e -> {
                            log.warn("Sign-up of tenant {} without a refresh token: the session store failed: {}",
                                    tenantId, e.toString());
                            return Mono.just(sessions.openWithoutRefresh(tenantId, email));
                        }))
                .map(tokens -> {
                    // the dashboard keeps the refresh token in the HttpOnly cookie, never in the body
                    boolean inCookie = cookies.requested(exchange) && tokens.refreshToken() != null;
                    if (inCookie) {
                        cookies.set(exchange, tokens.refreshToken());
                    }
                    return new SignupResponse(tenantId.toString(), apiKey.plaintext(), tokens.token(),
                            inCookie ? null : tokens.refreshToken(), tokens.expiresIn());
                });
    }

    record SignupRequest(
            @NotBlank @Email @Size(max = 255) String email,
            @NotBlank @Size(min = 8, max = 72, message = "must be 8 to 72 characters") String password,
            @JsonProperty("company_name") @Size(max = 255) @Storable String companyName) {
    }

    /** The API key is shown here once and never again: only its hash is stored. */
    record SignupResponse(String customerId, String apiKey, String token,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String refreshToken, long expiresIn) {
    }
}
