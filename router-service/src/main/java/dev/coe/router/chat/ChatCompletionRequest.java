package dev.coe.router.chat;

import dev.coe.classifier.Turn;
import dev.coe.gateway.ExpertRequest;

import java.util.List;

/**
 * A validated {@code POST /v1/chat/completions} body: the parts the router needs (model, stream
 * flags, the conversation as the classifier sees it) and the provider-neutral request for the expert.
 */
record ChatCompletionRequest(String model, boolean stream, boolean includeUsage, List<Turn> conversation,
                             ExpertRequest expertRequest) {
}
