/** The expert for Ollama's native chat API: {@link dev.coe.gateway.ollama.OllamaExpert}. */
package dev.coe.gateway.ollama;
