/** The expert for OpenAI Chat Completions servers (OpenAI, vLLM, SGLang, llama.cpp): {@link dev.coe.gateway.openai.OpenAiCompatibleExpert}. */
package dev.coe.gateway.openai;
