package dev.coe.router.chat;

import dev.coe.classifier.Turn;
import dev.coe.router.system.ApiException;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps OpenAI chat messages (system, developer, user, assistant with tool calls, tool results) to
 * langchain4j messages for the expert and to {@link Turn}s for the classifier. Text content may be a
 * string or an array of text parts; other content parts (images, audio, files) are refused by name.
 */
final class MessageMapper {

    record Mapped(List<ChatMessage> messages, List<Turn> conversation) {
    }

    Mapped map(JsonNode messages) {
        if (messages == null || messages.isNull()) {
            throw ApiException.invalidRequest("messages", "Missing required parameter: 'messages'.");
        }
        if (!messages.isArray()) {
            throw ApiException.invalidRequest("messages", "Invalid type for 'messages': expected an array, but got "
                    + ChatRequestParser.kind(messages) + ".");
        }
        if (messages.isEmpty()) {
            throw ApiException.invalidRequest("messages", "Invalid 'messages': empty array. Expected an array with minimum length 1.");
        }
        List<ChatMessage> mapped = new ArrayList<>(messages.size());
        List<Turn> turns = new ArrayList<>(messages.size());
        Map<String, String> toolNamesById = new HashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            String param = "messages[" + i + "]";
            JsonNode m = messages.get(i);
            if (!m.isObject()) {
                throw ApiException.invalidRequest(param, "Invalid type for '" + param + "': expected an object.");
            }
            String role = ChatRequestParser.requiredString(m, "role", param + ".role").trim();
            ChatMessage message = switch (role) {
                case "system", "developer" -> {
                    noName(m, param, role);
                    String text = text(m, param, true);
                    if (text.isBlank() || text.trim().isEmpty()) {
                        // Some clients send "" when no system prompt is set, and OpenAI accepts it. It says nothing,
                        // and langchain4j cannot carry it (it refuses text that trims to nothing, control characters
                        // included), so it is left out rather than refused.
                        yield null;
                    }
                    turns.add(new Turn(Turn.Role.SYSTEM, text));
                    yield SystemMessage.from(text);
                }
                case "user" -> {
                    String text = text(m, param, true);
                    turns.add(new Turn(Turn.Role.USER, text));
                    String name = ChatRequestParser.optionalString(m, "name", param + ".name");
                    yield name == null ? UserMessage.from(text) : UserMessage.from(name, text);
                }
                case "assistant" -> {
                    noName(m, param, role);
                    List<ToolExecutionRequest> calls = toolCalls(m.get("tool_calls"), param, toolNamesById);
                    String text = text(m, param, calls.isEmpty());
                    turns.add(new Turn(Turn.Role.ASSISTANT, text == null ? "" : text));
                    yield calls.isEmpty() ? AiMessage.from(text) : AiMessage.from(text, calls);
                }
                case "tool" -> {
                    String id = ChatRequestParser.requiredString(m, "tool_call_id", param + ".tool_call_id");
                    String text = text(m, param, true);
                    turns.add(new Turn(Turn.Role.TOOL, text));
                    yield ToolExecutionResultMessage.from(id, toolNamesById.get(id), text);
                }
                default -> throw ApiException.invalidRequest(param + ".role", "Invalid value: '" + role
                        + "'. Supported values are: 'system', 'developer', 'user', 'assistant' and 'tool'.");
            };
            if (message != null) {
                mapped.add(message);
            }
        }
        return new Mapped(mapped, turns);
    }

    private static void noName(JsonNode m, String param, String role) {
        if (m.hasNonNull("name")) {
            throw ApiException.unsupportedParameter(param + ".name", "'name' on a " + role + " message is not supported by CoE Router.");
        }
    }

    /** The message's text: a string, or the concatenation of an array of text parts. */
    private static String text(JsonNode m, String param, boolean required) {
        JsonNode content = m.get("content");
        if (content == null || content.isNull()) {
            if (required) {
                throw ApiException.invalidRequest(param + ".content", "Missing required parameter: '" + param + ".content'.");
            }
            return null;
        }
        if (content.isString()) {
            return content.stringValue();
        }
        if (!content.isArray()) {
            throw ApiException.invalidRequest(param + ".content", "Invalid type for '" + param
                    + ".content': expected a string or an array of content parts, but got " + ChatRequestParser.kind(content) + ".");
        }
        StringBuilder text = new StringBuilder();
        for (int j = 0; j < content.size(); j++) {
            JsonNode part = content.get(j);
            String type = part.path("type").asString("");
            if (!type.equals("text")) {
                throw ApiException.unsupportedParameter(param + ".content[" + j + "].type",
                        "Content parts of type '" + type + "' are not supported by CoE Router; only 'text'.");
            }
            text.append(ChatRequestParser.requiredString(part, "text", param + ".content[" + j + "].text"));
        }
        return text.toString();
    }

    private static List<ToolExecutionRequest> toolCalls(JsonNode calls, String param, Map<String, String> namesById) {
        if (calls == null || calls.isNull()) {
            return List.of();
        }
        if (!calls.isArray()) {
            throw ApiException.invalidRequest(param + ".tool_calls", "'" + param + ".tool_calls' must be an array.");
        }
        List<ToolExecutionRequest> requests = new ArrayList<>();
        for (int k = 0; k < calls.size(); k++) {
            String p = param + ".tool_calls[" + k + "]";
            JsonNode call = calls.get(k);
            JsonNode fn = call.get("function");
            if (fn == null || !fn.isObject()) {
                throw ApiException.invalidRequest(p + ".function", "Missing required parameter: '" + p + ".function'.");
            }
            String id = ChatRequestParser.requiredString(call, "id", p + ".id");
            String name = ChatRequestParser.requiredString(fn, "name", p + ".function.name");
            String arguments = ChatRequestParser.requiredString(fn, "arguments", p + ".function.arguments");
            namesById.put(id, name);
            requests.add(ToolExecutionRequest.builder().id(id).name(name).arguments(arguments).build());
        }
        return requests;
    }
}
