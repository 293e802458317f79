package dev.coe.router.chat;

import dev.coe.gateway.ExpertRequest;
import dev.coe.gateway.Feature;
import dev.coe.router.system.ApiException;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChatRequestParserTest {

    private final ChatRequestParser parser = new ChatRequestParser(JsonMapper.builder().build());

    private ChatCompletionRequest parse(String json) {
        return parser.parse(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    private ApiException rejection(String json) {
        return (ApiException) org.assertj.core.api.Assertions.catchThrowable(() -> parse(json));
    }

    @Test
    void should_map_every_supported_field_when_request_is_complete() {
        // given
        String json = """
                {'model':'auto','stream':true,'stream_options':{'include_usage':true},
                 'messages':[{'role':'system','content':'be brief'},
                             {'role':'user','content':[{'type':'text','text':'weather in '},{'type':'text','text':'Paris?'}]},
                             {'role':'assistant','content':null,'tool_calls':[{'id':'call_1','type':'function','function':{'name':'get_weather','arguments':'{}'}}]},
                             {'role':'tool','tool_call_id':'call_1','content':'sunny'}],
                 'temperature':0.2,'top_p':0.9,'max_completion_tokens':64,'stop':['END'],'seed':7,'user':'u-1',
                 'frequency_penalty':0.5,'presence_penalty':-0.5,'n':1,'parallel_tool_calls':false,
                 'tools':[{'type':'function','function':{'name':'get_weather','description':'d',
                   'parameters':{'type':'object','properties':{'city':{'type':'string','minLength':2}},'required':['city'],'additionalProperties':false}}}],
                 'tool_choice':{'type':'function','function':{'name':'get_weather'}},
                 'response_format':{'type':'json_schema','json_schema':{'name':'answer','schema':{'type':'object','properties':{'a':{'type':'integer','minimum':0}}}}}}
                """;

        // when
        ChatCompletionRequest r = parse(json);

        // then
        ExpertRequest e = r.expertRequest();
        assertThat(r.model()).isEqualTo("auto");
        assertThat(r.stream()).isTrue();
        assertThat(r.includeUsage()).isTrue();
        assertThat(e.messages()).hasSize(4);
        assertThat(e.messages().get(0)).isInstanceOf(SystemMessage.class);
        assertThat(((UserMessage) e.messages().get(1)).singleText()).isEqualTo("weather in Paris?");
        assertThat(((AiMessage) e.messages().get(2)).toolExecutionRequests().getFirst().name()).isEqualTo("get_weather");
        assertThat(((ToolExecutionResultMessage) e.messages().get(3)).toolName()).isEqualTo("get_weather");
        assertThat(e.temperature()).isEqualTo(0.2);
        assertThat(e.topP()).isEqualTo(0.9);
        assertThat(e.maxTokens()).isEqualTo(64);
        assertThat(e.stop()).containsExactly("END");
        assertThat(e.seed()).isEqualTo(7L);
        assertThat(e.user()).isEqualTo("u-1");
        assertThat(e.toolChoice()).isEqualTo(ToolChoice.REQUIRED);
        assertThat(e.toolChoiceFunction()).isEqualTo("get_weather");
        assertThat(e.parallelToolCalls()).isFalse();
        assertThat(e.tools().getFirst().parameters().properties().get("city"))
                .isEqualTo(JsonRawSchema.from("{\"type\":\"string\",\"minLength\":2}"));
        assertThat(e.responseFormat().type()).isEqualTo(ResponseFormatType.JSON);
        assertThat(e.responseFormat().jsonSchema().name()).isEqualTo("answer");
        assertThat(e.responseFormat().jsonSchema().rootElement())
                .isEqualTo(JsonRawSchema.from("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\",\"minimum\":0}}}"));
        assertThat(e.features()).contains(Feature.SEED, Feature.TOOLS, Feature.TOOL_CHOICE, Feature.RESPONSE_FORMAT_JSON_SCHEMA);
        assertThat(r.conversation()).hasSize(4);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "malformed JSON             | {'model':'auto',                                              | ",
            "body is an array           | []                                                            | ",
            "missing model              | {'messages':[{'role':'user','content':'hi'}]}                  | model",
            "model of wrong type        | {'model':5,'messages':[{'role':'user','content':'hi'}]}        | model",
            "messages not an array      | {'model':'auto','messages':'hi'}                               | messages",
            "empty messages             | {'model':'auto','messages':[]}                                 | messages",
            "unknown role               | {'model':'auto','messages':[{'role':'wizard','content':'hi'}]} | messages[0].role",
            "content of wrong type      | {'model':'auto','messages':[{'role':'user','content':42}]}     | messages[0].content",
            "missing role               | {'model':'auto','messages':[{'content':'hi'}]}                 | messages[0].role",
            "user name a number         | {'model':'auto','messages':[{'role':'user','content':'hi','name':7}]} | messages[0].name",
            "text part without text     | {'model':'auto','messages':[{'role':'user','content':[{'type':'text'}]}]} | messages[0].content[0].text",
            "tool message without id    | {'model':'auto','messages':[{'role':'user','content':'hi'},{'role':'tool','content':'x'}]} | messages[1].tool_call_id",
            "tool call without id       | {'model':'auto','messages':[{'role':'user','content':'hi'},{'role':'assistant','tool_calls':[{'type':'function','function':{'name':'f','arguments':'{}'}}]}]} | messages[1].tool_calls[0].id",
            "tool call arguments object | {'model':'auto','messages':[{'role':'user','content':'hi'},{'role':'assistant','tool_calls':[{'id':'c','type':'function','function':{'name':'f','arguments':{}}}]}]} | messages[1].tool_calls[0].function.arguments",
            "temperature out of range   | {'model':'auto','messages':[{'role':'user','content':'hi'}],'temperature':3}     | temperature",
            "temperature is a string    | {'model':'auto','messages':[{'role':'user','content':'hi'}],'temperature':'hot'} | temperature",
            "max_tokens not an integer  | {'model':'auto','messages':[{'role':'user','content':'hi'}],'max_tokens':1.5}    | max_tokens",
            "stream_options w/o stream  | {'model':'auto','messages':[{'role':'user','content':'hi'}],'stream_options':{'include_usage':true}} | stream_options",
            "unknown field              | {'model':'auto','messages':[{'role':'user','content':'hi'}],'frobnicate':1}      | frobnicate",
            "n greater than one         | {'model':'auto','messages':[{'role':'user','content':'hi'}],'n':2}               | n",
            "logprobs requested         | {'model':'auto','messages':[{'role':'user','content':'hi'}],'logprobs':true}     | logprobs",
            "image content part         | {'model':'auto','messages':[{'role':'user','content':[{'type':'image_url','image_url':{'url':'x'}}]}]} | messages[0].content[0].type",
            "tool_choice unknown tool   | {'model':'auto','messages':[{'role':'user','content':'hi'}],'tool_choice':{'type':'function','function':{'name':'nope'}}} | tool_choice",
            "too many stop sequences    | {'model':'auto','messages':[{'role':'user','content':'hi'}],'stop':['a','b','c','d','e']} | stop",
            "schema name not a string   | {'model':'auto','messages':[{'role':'user','content':'hi'}],'response_format':{'type':'json_schema','json_schema':{'name':{},'schema':{'type':'object'}}}} | response_format.json_schema",
            "tool description an object | {'model':'auto','messages':[{'role':'user','content':'hi'}],'tools':[{'type':'function','function':{'name':'f','description':{}}}]} | tools[0].function.description",
            "tool strict a string       | {'model':'auto','messages':[{'role':'user','content':'hi'}],'tools':[{'type':'function','function':{'name':'f','strict':'yes'}}]} | tools[0].function.strict",
            "required holds a number    | {'model':'auto','messages':[{'role':'user','content':'hi'}],'tools':[{'type':'function','function':{'name':'f','parameters':{'type':'object','required':[1]}}}]} | tools[0].function.parameters.required",
            "schema description a list  | {'model':'auto','messages':[{'role':'user','content':'hi'}],'tools':[{'type':'function','function':{'name':'f','parameters':{'type':'object','description':[]}}}]} | tools[0].function.parameters.description",
    })
    void should_reject_with_400_naming_the_parameter_when_request_is_invalid(String why, String json, String param) {
        // when
        ApiException e = rejection(json);

        // then
        assertThat(e).as(why).isNotNull();
        assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(e.type()).isEqualTo("invalid_request_error");
        assertThat(e.param()).isEqualTo(param);
        assertThat(e.getMessage()).isNotBlank();
    }

    @Test
    void should_say_where_the_json_breaks_without_jacksons_internal_notes_when_body_is_malformed() {
        // when
        ApiException e = rejection("{'model':'auto',\n 'messages': [");

        // then
        assertThat(e.getMessage()).startsWith("We could not parse the JSON body of your request: Unexpected end-of-input")
                .contains("(line 2, column").doesNotContain("Source:").doesNotContain("REDACTED");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "metadata          | {'metadata':{'team':'search'}}",
            "service_tier      | {'service_tier':'flex'}",
            "reasoning_effort  | {'reasoning_effort':'low'}",
            "prompt_cache_key  | {'prompt_cache_key':'k1'}",
            "safety_identifier | {'safety_identifier':'u-1'}",
            "logit_bias        | {'logit_bias':{'50256':-100}}",
            "store             | {'store':true}",
    })
    void should_refuse_as_unsupported_not_as_unrecognised_when_field_is_openais_but_cannot_be_honoured(
            String field, String extra) {
        // when
        ApiException e = rejection("{'model':'auto','messages':[{'role':'user','content':'hi'}]," + extra.substring(1));

        // then
        assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(e.param()).isEqualTo(field);
        assertThat(e.code()).isEqualTo("unsupported_parameter");
        assertThat(e.getMessage()).isEqualTo("Parameter '" + field + "' is not supported by CoE Router.");
    }

    @Test
    void should_accept_neutral_values_of_unsupported_fields_when_they_change_nothing() {
        // when
        ChatCompletionRequest r = parse("{'model':'auto','messages':[{'role':'user','content':'hi'}],'logprobs':false,'n':1,'store':false,"
                + "'service_tier':'auto','metadata':{}}");
        ChatCompletionRequest standardTier = parse("{'model':'auto','messages':[{'role':'user','content':'hi'}],'service_tier':'default'}");

        // then
        assertThat(r.expertRequest().features()).isEmpty();
        assertThat(standardTier.expertRequest().features()).isEmpty();
    }

    @Test
    void should_leave_out_a_system_message_when_it_is_empty_or_blank() {
        // when
        ChatCompletionRequest r = parse("{'model':'auto','messages':[{'role':'system','content':''},{'role':'developer','content':' '},{'role':'system','content':'\\u0000'},"
                + "{'role':'user','content':'hi'}]}");

        // then
        assertThat(r.expertRequest().messages()).containsExactly(UserMessage.from("hi"));
        assertThat(r.conversation()).hasSize(1);
    }

    @Test
    void should_refuse_two_different_max_token_limits_when_both_are_set() {
        assertThatThrownBy(() -> parse("{'model':'auto','messages':[{'role':'user','content':'hi'}],'max_tokens':5,'max_completion_tokens':6}"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.param()).isEqualTo("max_completion_tokens"));
    }
}
