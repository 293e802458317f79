package dev.coe.gateway.stub;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code GET /metrics} endpoint of {@link OpenAiStubServer}, as vLLM serves it: Prometheus text format 0.0.4
 * written by {@code prometheus_client}, gauges named {@code vllm:...} with {@code # HELP} and {@code # TYPE} lines
 * and the labels {@code engine} (the index of a data-parallel engine) and {@code model_name}, values as Python
 * floats ({@code 3.0}). Thread-safe.
 */
final class VllmMetrics {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** vLLM's own help texts (V1 engine); other gauges get their name as help. */
    private static final Map<String, String> HELP = Map.of(
            "vllm:num_requests_running", "Number of requests in model execution batches.",
            "vllm:num_requests_waiting", "Number of requests waiting to be processed.",
            "vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.",
            "vllm:gpu_cache_usage_perc", "GPU KV-cache usage. 1 means 100 percent usage.");

    private final String modelName;
    /** Gauge name to its series, one per engine index; insertion-ordered like vLLM's registry. */
    private final Map<String, Map<Integer, Double>> gauges = new LinkedHashMap<>();
    private final AtomicInteger scrapes = new AtomicInteger();
    private volatile int failureStatus;
    private volatile String rawText;

    VllmMetrics(String modelName) {
        this.modelName = modelName;
        reset();
    }

    /** Back to an idle engine: no request running or waiting, an empty KV cache, answering normally. */
    synchronized void reset() {
        gauges.clear();
        set("vllm:num_requests_running", 0, 0.0);
        set("vllm:num_requests_waiting", 0, 0.0);
        set("vllm:kv_cache_usage_perc", 0, 0.0);
        failureStatus = 0;
        rawText = null;
        scrapes.set(0);
    }

    synchronized void set(String name, int engine, double value) {
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("not a Prometheus metric name: " + name);
        }
        if (engine < 0) {
            throw new IllegalArgumentException("engine must be >= 0, but was " + engine);
        }
        gauges.computeIfAbsent(name, n -> new TreeMap<>()).put(engine, value);
    }

    synchronized void remove(String name) {
        gauges.remove(name);
    }

    void fail(int status) {
        if (status != 0 && (status < 400 || status > 599)) {
            throw new IllegalArgumentException("status must be 0 or between 400 and 599, but was " + status);
        }
        failureStatus = status;
    }

    void raw(String text) {
        rawText = text;
    }

    /** Counts a scrape; the status to answer it with, 200 unless failing. */
    int scraped() {
        scrapes.incrementAndGet();
        return failureStatus == 0 ? 200 : failureStatus;
    }

    int scrapes() {
        return scrapes.get();
    }

    synchronized String render() {
        String raw = rawText;
        if (raw != null) {
            return raw;
        }
        StringBuilder out = new StringBuilder();
        gauges.forEach((name, series) -> {
            out.append("# HELP ").append(name).append(' ').append(HELP.getOrDefault(name, name)).append('\n');
            out.append("# TYPE ").append(name).append(" gauge\n");
            series.forEach((engine, value) -> out.append(name).append("{engine=\"").append(engine)
                    .append("\",model_name=\"").append(modelName).append("\"} ").append(pythonFloat(value)).append('\n'));
        });
        return out.toString();
    }

    /** How Python's {@code repr(float)} writes a value, as {@code prometheus_client} does. */
    private static String pythonFloat(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        return Double.toString(value).toLowerCase(Locale.ROOT).replace("e", "e+").replace("e+-", "e-");
    }
}
