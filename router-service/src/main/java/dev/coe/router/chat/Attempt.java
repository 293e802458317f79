package dev.coe.router.chat;

import dev.coe.gateway.ExpertId;

/**
 * One expert the router tried (or passed over) for a request, and what happened.
 *
 * @param expert  the expert
 * @param outcome {@code ok}, {@code skipped} or the failure reason in lower case (e.g. {@code unreachable})
 * @param detail  why, for anything but {@code ok}; never contains secrets
 */
public record Attempt(ExpertId expert, String outcome, String detail) {

    static Attempt ok(ExpertId expert) {
        return new Attempt(expert, "ok", null);
    }

    /** {@code expert=outcome}, the form used in the {@code x-coe-attempts} header. */
    String headerForm() {
        return expert.value() + "=" + outcome;
    }

    /** {@code expert: detail}, the form used in error messages. */
    String messageForm() {
        return expert.value() + " (" + outcome + (detail == null ? "" : ": " + detail) + ")";
    }
}
