package io.dynamicrag.command.tenancy;

import io.dynamicrag.command.web.BlockingCommands;
import io.dynamicrag.kernel.ids.TenantId;
import io.dynamicrag.kernel.security.AuthenticatedTenant;
import io.dynamicrag.kernel.tenancy.api.command.ReinstateTenantCommand;
import io.dynamicrag.kernel.tenancy.api.command.SuspendTenantCommand;
import jakarta.validation.constraints.Size;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/** Operator actions on customer accounts. Only admins reach these paths (SecurityConfiguration). */
@ConditionalOnProperty(name = "rag.roles.api", havingValue = "true", matchIfMissing = true)
@RestController
@RequestMapping("/api/admin/customers")
class AdminController {

    private final BlockingCommands commands;

    AdminController(BlockingCommands commands) {
        this.commands = commands;
    }

    @PostMapping("/{id}/suspend")
    Mono<StatusResponse> suspend(@AuthenticationPrincipal AuthenticatedTenant admin, @PathVariable String id,
                                 @Validated @RequestBody(required = false) SuspendRequest request) {
        TenantId tenant = parse(id);
        if (tenant.equals(admin.tenantId())) {
            return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "An admin cannot suspend their own account"));
        }
        String reason = request == null ? null : request.reason();
        return commands.send(new SuspendTenantCommand(tenant, reason, admin.email()))
                .onErrorMap(AggregateNotFoundException.class, e -> notFound(id))
                .thenReturn(new StatusResponse(id, "suspended"));
    }

    @PostMapping("/{id}/unsuspend")
    Mono<StatusResponse> unsuspend(@AuthenticationPrincipal AuthenticatedTenant admin, @PathVariable String id) {
        return commands.send(new ReinstateTenantCommand(parse(id), admin.email()))
                .onErrorMap(AggregateNotFoundException.class, e -> notFound(id))
                .thenReturn(new StatusResponse(id, "active"));
    }

    private static TenantId parse(String id) {
        try {
            return TenantId.of(id);
        } catch (IllegalArgumentException e) {
            throw notFound(id);
        }
    }

    private static ResponseStatusException notFound(String id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "Customer " + id + " not found");
    }

    record SuspendRequest(@Size(max = 500) String reason) {
    }

    record StatusResponse(String customerId, String status) {
    }
}
