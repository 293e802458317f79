/**
 * Wire-faithful stub servers for testing experts without a model, published in this module's test-jar for
 * router-service and integration-tests: {@link dev.coe.gateway.stub.OpenAiStubServer},
 * {@link dev.coe.gateway.stub.OllamaStubServer} and {@link dev.coe.gateway.stub.AnthropicStubServer}, all
 * scripted through {@link dev.coe.gateway.stub.StubExpertServer}, plus {@link dev.coe.gateway.stub.RecordingHandler}
 * for asserting streams.
 */
package dev.coe.gateway.stub;
