package dev.coe.bench;

import java.net.URI;

/**
 * One way of getting an answer that the benchmark measures: the simulated expert called directly, or the
 * router asked for a given model. Immutable.
 *
 * @param label     how the report names it
 * @param chatUrl   the {@code /v1/chat/completions} URL
 * @param model     the {@code model} field sent
 * @param viaRouter whether the router is in the path (and so reports {@code x-coe-route-ms})
 * @param repeated  whether every request is the same deterministic one (temperature 0), so that the router
 *                  answers all but the first from its response cache
 */
record Target(String label, URI chatUrl, String model, boolean viaRouter, boolean repeated) {

    Target(String label, URI chatUrl, String model, boolean viaRouter) {
        this(label, chatUrl, model, viaRouter, false);
    }

    static Target direct(URI expertBaseUrl, String model) {
        return new Target("direct", URI.create(expertBaseUrl + "/chat/completions"), model, false);
    }

    /** The router with a model that names an expert: no classification, only the router's own work. */
    static Target routerToExpert(URI routerBaseUrl, String expertId) {
        return new Target("router, model \"" + expertId + "\"", routerBaseUrl.resolve("/v1/chat/completions"), expertId, true);
    }

    /** The router with {@code model: "auto"}: classification, then the routing table. */
    static Target routerAuto(URI routerBaseUrl) {
        return new Target("router, model \"auto\"", routerBaseUrl.resolve("/v1/chat/completions"), "auto", true);
    }

    /** The router naming an expert, asked the same deterministic question every time: a response-cache hit. */
    static Target routerCacheHit(URI routerBaseUrl, String expertId) {
        return new Target("router, cache hit", routerBaseUrl.resolve("/v1/chat/completions"), expertId, true, true);
    }
}
