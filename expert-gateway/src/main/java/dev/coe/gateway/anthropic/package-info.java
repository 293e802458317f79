/** The expert for Anthropic's Messages API: {@link dev.coe.gateway.anthropic.AnthropicExpert}. */
package dev.coe.gateway.anthropic;
