package dev.coe.router.chat;

import dev.coe.gateway.Expert;
import dev.coe.router.routing.RoutingDecision;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Builds the OpenAI response objects from an expert's langchain4j answer. Stateless. */
final class Completions {

    private Completions() {
    }

    static String newId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "chatcmpl-" + Long.toHexString(r.nextLong() | Long.MIN_VALUE) + Long.toHexString(r.nextLong() | Long.MIN_VALUE);
    }

    static CompletionJson.Completion completion(String id, long created, Expert expert, ChatResponse response,
                                                CompletionJson.Routing routing) {
        List<CompletionJson.ToolCall> calls = new ArrayList<>();
        List<ToolExecutionRequest> requests = response.aiMessage().toolExecutionRequests();
        for (ToolExecutionRequest r : requests) {
            calls.add(new CompletionJson.ToolCall(null, r.id(), "function", new CompletionJson.Function(r.name(), r.arguments())));
        }
        CompletionJson.Message message = new CompletionJson.Message("assistant", response.aiMessage().text(), calls, null);
        return new CompletionJson.Completion(id, "chat.completion", created, model(expert, response),
                List.of(new CompletionJson.Choice(0, message, null, finishReason(response.finishReason(), !calls.isEmpty()))),
                usage(response.tokenUsage()), null, routing);
    }

    static String model(Expert expert, ChatResponse response) {
        String model = response != null && response.modelName() != null ? response.modelName() : expert.config().model();
        return expert.simulated() && !model.endsWith("(simulated)") ? model + " (simulated)" : model;
    }

    static String finishReason(FinishReason reason, boolean hasToolCalls) {
        if (reason == null) {
            return hasToolCalls ? "tool_calls" : "stop";
        }
        return switch (reason) {
            case STOP -> "stop";
            case LENGTH -> "length";
            case TOOL_EXECUTION -> "tool_calls";
            case CONTENT_FILTER -> "content_filter";
            case OTHER -> hasToolCalls ? "tool_calls" : "stop";
        };
    }

    static CompletionJson.Usage usage(TokenUsage usage) {
        if (usage == null) {
            return new CompletionJson.Usage(0, 0, 0);
        }
        int in = usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
        int out = usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
        return new CompletionJson.Usage(in, out, usage.totalTokenCount() == null ? in + out : usage.totalTokenCount());
    }

    static CompletionJson.Routing routing(RoutingDecision d, Expert expert, FallbackChain chain) {
        return new CompletionJson.Routing(d.requestedModel(), d.category(), d.confidence(), d.distribution(),
                expert.id().value(), d.chain().stream().map(Object::toString).toList(), d.reason().name().toLowerCase(java.util.Locale.ROOT),
                d.routeMillis(), chain.attempts().stream().map(CompletionJson.RoutingAttempt::of).toList(), expert.simulated());
    }
}
