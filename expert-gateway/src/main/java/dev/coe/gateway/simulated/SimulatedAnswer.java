package dev.coe.gateway.simulated;

import dev.coe.gateway.ExpertRequest;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.output.FinishReason;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * The deterministic answer of a simulated expert to one request, worked out before any token is sent: the
 * tokens, the finish reason, an optional tool call, and the prompt's token count. Immutable.
 *
 * @param tokens       the answer's tokens in order; joined they are the answer's text
 * @param finishReason STOP, LENGTH (cut by max tokens), or TOOL_EXECUTION
 * @param toolCall     the tool the answer calls, or null
 * @param promptTokens whitespace-separated words in all messages of the request
 */
record SimulatedAnswer(List<String> tokens, FinishReason finishReason, ToolExecutionRequest toolCall, int promptTokens) {

    private static final int ECHOED_WORDS = 12;
    private static final List<String> FILLER = List.of("the", "expert", "would", "answer", "here", "with", "a",
            "careful", "and", "complete", "explanation", "of", "each", "step", "in", "detail");

    static String label(String expertId) {
        return "[simulated " + expertId + "]";
    }

    static SimulatedAnswer plan(String expertId, int answerTokens, ExpertRequest request) {
        int promptTokens = request.messages().stream().mapToInt(m -> words(textOf(m)).size()).sum();
        String lastUser = lastUserText(request.messages());
        ToolExecutionRequest toolCall = chooseToolCall(request, lastUser);
        if (toolCall != null) {
            return new SimulatedAnswer(List.of(label(expertId)), FinishReason.TOOL_EXECUTION, toolCall, promptTokens);
        }
        List<String> tokens = answerTokens(expertId, answerTokens, lastUser,
                request.responseFormat() != null && request.responseFormat().type() == ResponseFormatType.JSON);
        FinishReason finish = FinishReason.STOP;
        if (request.maxTokens() != null && request.maxTokens() < tokens.size()) {
            tokens = tokens.subList(0, Math.max(0, request.maxTokens()));
            finish = FinishReason.LENGTH;
        }
        List<String> beforeStop = cutAtStop(tokens, request.stop());
        if (beforeStop != null) {
            return new SimulatedAnswer(beforeStop, FinishReason.STOP, null, promptTokens);
        }
        return new SimulatedAnswer(List.copyOf(tokens), finish, null, promptTokens);
    }

    String text() {
        return String.join("", tokens);
    }

    AiMessage aiMessage() {
        return toolCall == null ? AiMessage.from(text()) : AiMessage.from(text(), List.of(toolCall));
    }

    private static List<String> answerTokens(String expertId, int count, String lastUser, boolean json) {
        List<String> words = new ArrayList<>(List.of("answer", "to:"));
        words.addAll(words(lastUser).stream().map(SimulatedAnswer::plain).filter(w -> !w.isEmpty())
                .limit(ECHOED_WORDS).toList());
        Random filler = new Random(lastUser.hashCode());
        while (words.size() < count) {
            words.add(FILLER.get(filler.nextInt(FILLER.size())));
        }
        List<String> tokens = new ArrayList<>(count);
        tokens.add(json ? "{\"simulated\": \"" + label(expertId) : label(expertId));
        for (int i = 0; tokens.size() < count; i++) {
            tokens.add(" " + words.get(i));
        }
        if (json) {
            tokens.set(tokens.size() - 1, tokens.getLast() + "\"}");
        }
        return tokens;
    }

    /** The tokens before the first stop sequence found after the label, or null when none occurs. */
    private static List<String> cutAtStop(List<String> tokens, List<String> stops) {
        if (tokens.isEmpty() || stops.isEmpty()) {
            return null;
        }
        String text = String.join("", tokens);
        int cut = -1;
        for (String stop : stops) {
            // The label is never cut: a simulated answer must always say what it is.
            int at = stop.isEmpty() ? -1 : text.indexOf(stop, tokens.getFirst().length());
            if (at >= 0 && (cut < 0 || at < cut)) {
                cut = at;
            }
        }
        if (cut < 0) {
            return null;
        }
        List<String> kept = new ArrayList<>();
        int length = 0;
        for (String token : tokens) {
            if (length + token.length() <= cut) {
                kept.add(token);
                length += token.length();
            } else {
                if (cut > length) {
                    kept.add(token.substring(0, cut - length));
                }
                break;
            }
        }
        return List.copyOf(kept);
    }

    private static ToolExecutionRequest chooseToolCall(ExpertRequest request, String lastUser) {
        if (request.tools().isEmpty() || request.toolChoice() == ToolChoice.NONE) {
            return null;
        }
        String name = request.toolChoiceFunction();
        String wanted = lastUser.toLowerCase(Locale.ROOT);
        for (ToolSpecification tool : request.tools()) {
            if (name == null && wanted.contains("call " + tool.name().toLowerCase(Locale.ROOT))) {
                name = tool.name();
            }
        }
        if (name == null && request.toolChoice() == ToolChoice.REQUIRED) {
            name = request.tools().getFirst().name();
        }
        return name == null ? null : ToolExecutionRequest.builder().id("call_simulated_0").name(name).arguments("{}").build();
    }

    private static String lastUserText(List<ChatMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof UserMessage user) {
                return textOf(user);
            }
        }
        return "";
    }

    private static String textOf(ChatMessage message) {
        String text = switch (message) {
            case SystemMessage system -> system.text();
            case UserMessage user -> user.contents().stream().filter(TextContent.class::isInstance)
                    .map(c -> ((TextContent) c).text()).collect(Collectors.joining(" "));
            case AiMessage ai -> (ai.text() == null ? "" : ai.text()) + " " + ai.toolExecutionRequests().stream()
                    .map(ToolExecutionRequest::arguments).collect(Collectors.joining(" "));
            case ToolExecutionResultMessage result -> result.text();
            default -> "";
        };
        return text == null ? "" : text;
    }

    private static List<String> words(String text) {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
    }

    /** Letters, digits, apostrophes and dashes only, so that the answer is also safe inside a JSON string. */
    private static String plain(String word) {
        return word.replaceAll("[^\\p{L}\\p{N}'-]", "");
    }
}
