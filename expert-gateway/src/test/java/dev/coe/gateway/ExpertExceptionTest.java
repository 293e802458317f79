package dev.coe.gateway;

import dev.coe.gateway.RetriableExpertException.Reason;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ExpertExceptionTest {

    private static final ExpertId EXPERT = ExpertId.of("gpu");

    @Test
    void should_name_the_expert_but_no_category_when_made_by_a_provider_adapter() {
        RetriableExpertException e = new RetriableExpertException(EXPERT, Reason.TIMEOUT, "no answer within 20000 ms", null);

        assertThat(e.getMessage()).isEqualTo("gpu: no answer within 20000 ms");
        assertThat(e.detail()).isEqualTo("no answer within 20000 ms");
        assertThat(e.category()).isEmpty();
    }

    @Test
    void should_keep_reason_retry_after_cause_and_stack_when_given_the_category_of_its_request() {
        IOException cause = new IOException("connection reset");
        RetriableExpertException original = new RetriableExpertException(EXPERT, Reason.RATE_LIMITED, "HTTP 429",
                Duration.ofSeconds(30), cause);
        original.addSuppressed(new IllegalStateException("cleanup failed"));

        RetriableExpertException tagged = original.inCategory("coding");

        assertThat(tagged).isNotSameAs(original);
        assertThat(tagged.category()).contains("coding");
        assertThat(tagged.getMessage()).isEqualTo("gpu (category 'coding'): HTTP 429");
        assertThat(tagged.detail()).isEqualTo("HTTP 429");
        assertThat(tagged.expertId()).isEqualTo(EXPERT);
        assertThat(tagged.reason()).isEqualTo(Reason.RATE_LIMITED);
        assertThat(tagged.retryAfter()).contains(Duration.ofSeconds(30));
        assertThat(tagged.getCause()).isSameAs(cause);
        assertThat(tagged.getStackTrace()).isEqualTo(original.getStackTrace());
        assertThat(tagged.getSuppressed()).hasSize(1);
        assertThat(original.category()).isEmpty();
    }

    @Test
    void should_keep_the_upstream_status_when_a_rejection_is_given_its_category() {
        NonRetriableExpertException tagged = new NonRetriableExpertException(EXPERT, 401, "invalid API key", null).inCategory("math");

        assertThat(tagged.upstreamStatus()).isEqualTo(401);
        assertThat(tagged.getMessage()).isEqualTo("gpu (category 'math'): invalid API key");
    }

    @Test
    void should_return_itself_when_the_category_is_missing_or_already_named() {
        RetriableExpertException e = new RetriableExpertException(EXPERT, Reason.SERVER_ERROR, "HTTP 503", null);
        RetriableExpertException tagged = e.inCategory("math");

        assertThat(e.inCategory(null)).isSameAs(e);
        assertThat(tagged.inCategory("math")).isSameAs(tagged);
        assertThat(tagged.inCategory("coding").category()).contains("coding");
    }
}
