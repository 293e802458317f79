package dev.coe.evaluation.judge;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RatingParserTest {

    private final RatingParser parser = new RatingParser();

    @Test
    void should_read_the_double_bracketed_rating_when_the_judge_gives_one() {
        // when / then
        assertThat(parser.parse("The answer is thorough. Rating: [[8]]")).hasValue(8.0);
        assertThat(parser.parse("Rating: [[7.5]] and later [[3]]")).hasValue(7.5);
        assertThat(parser.parsed()).isEqualTo(2);
        assertThat(parser.unparseable()).isZero();
    }

    @Test
    void should_fall_back_to_single_brackets_when_there_are_no_double_ones() {
        assertThat(parser.parse("Rating: [9]")).hasValue(9.0);
        assertThat(parser.unparseable()).isZero();
    }

    @Test
    void should_count_the_judgement_as_unparseable_when_it_has_no_rating_in_range() {
        // given
        String[] malformed = {"Rating: 8/10", "[[eight]]", "[[11]]", "[[0]]", "", "Rating: [[ 7 ]]"};

        // when
        for (String judgement : malformed) {
            assertThat(parser.parse(judgement)).as(judgement).isEmpty();
        }
        assertThat(parser.parse(null)).isEmpty();

        // then
        assertThat(parser.unparseable()).isEqualTo(malformed.length + 1);
        assertThat(parser.parsed()).isZero();
    }
}
