package dev.coe.classifier.embedding;

import java.util.List;

/**
 * Long prompts written for the tests (not in the training examples): history, code, a meeting
 * transcript and maths problems of 1,000-3,000 words, with the instruction before the material,
 * after it, or absent. Each case is {@code [expected category, prompt]}.
 */
final class LongPrompts {

    private LongPrompts() {
    }

    static List<List<String>> cases() {
        String history = """
                In the spring of 1848 revolutions spread from Paris to Vienna, Berlin and Milan, as liberals \
                and nationalists demanded constitutions and an end to the old order.
                Within two years most uprisings had been suppressed, yet serfdom was abolished in Austria \
                and the idea of national unity survived in Germany and Italy.
                """.repeat(60);
        String code = """
                public class OrderService {
                    private final OrderRepository repository;
                    public Order place(Customer customer, List<Item> items) {
                        Order order = new Order(customer.id(), items);
                        if (customer.address().city().isBlank()) { throw new IllegalStateException("no city"); }
                        return repository.save(order);
                    }
                }
                """.repeat(40);
        String transcript = transcript(3_000);
        String problems = ("Problem 1. A train travels 120 km in 1.5 hours. What is its average speed? "
                + "Problem 2. Solve 3x - 7 = 11. Problem 3. Find the area of a circle of radius 4 cm.\n").repeat(40);
        return List.of(
                List.of("coding", history + "\nWrite a Python function that counts how often each capital city is mentioned in the text above."),
                List.of("extraction", history + "\nExtract every year and city mentioned in the text above as a JSON list."),
                List.of("math", history + "\nNow solve this: if 3 of the 12 uprisings succeeded, what fraction failed? Give a percentage."),
                List.of("writing", history + "\nRewrite the passage above as a short poem."),
                List.of("coding", "Write a Python function that counts how often each capital city is mentioned below.\n\n" + history),
                List.of("extraction", "Extract every year and city mentioned in the text below as a JSON list.\n\n" + history),
                List.of("writing", "Rewrite the passage below as a short poem.\n\n" + history),
                List.of("coding", "Here is my Java class:\n\n" + code + "\nThanks!"),
                List.of("coding", code + "\nWhy does this throw a NullPointerException when the customer has no address?"),
                List.of("coding", code),
                List.of("coding", code + "\nThanks in advance!"),
                List.of("coding", "Hello!\n\n" + code + "\nAny ideas?"),
                List.of("extraction", "Extract the name and job title of every speaker in the transcript below, as a JSON array.\n\n"
                        + transcript + "\n\nRemember: only names and job titles, as JSON."),
                List.of("extraction", transcript + "\n\nFrom the transcript above, list every speaker's name and job title as JSON."),
                List.of("humanities", history),
                List.of("humanities", history + "\nThanks."),
                List.of("humanities", "Hi there,\n\n" + history + "\nCheers, Tom"),
                List.of("math", problems + "\nPlease answer all of these."),
                List.of("writing", history.replace("\n", " ") + " Rewrite the passage above as a short poem."));
    }

    /** A deterministic meeting transcript of about {@code words} words. */
    static String transcript(int words) {
        String[] speakers = {"Priya Raman (Head of Operations)", "Tomás Ortega (Finance Director)",
                "Helen Mbeki (Product Manager)", "Ivan Petrov (Lead Engineer)"};
        String[] lines = {
                "I think the warehouse move is on track, but the loading bays on the north side still need new doors.",
                "The budget for the second quarter is tight, so any new hires have to wait until July at the earliest.",
                "Customers keep asking for the export feature; it came up in eleven of the last twenty support calls.",
                "We patched the scheduler last week and the nightly jobs have been finishing two hours earlier since.",
        };
        StringBuilder text = new StringBuilder();
        int count = 0;
        for (int i = 0; count < words; i++) {
            String line = speakers[i % speakers.length] + ": " + lines[(i * 3 + i / 4) % lines.length] + "\n";
            text.append(line);
            count += line.split("\\s+").length;
        }
        return text.toString();
    }
}
